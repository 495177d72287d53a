export { InverseTimeDecay } from "./InverseTimeDecay.js";
