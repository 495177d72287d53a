/**
 * The Keras-faithful optimizers, one export line each: `optimizerFromKeras`, `optimizerToKeras` and tf.js
 * serialization find them here, so adding an optimizer is its file plus one line.
 */
export { SGD } from "./SGD.js";
export { Adam } from "./Adam.js";
