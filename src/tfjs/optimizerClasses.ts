/**
 * The list of the Keras-faithful optimizer classes, one export line each: `optimizerFromKeras`, `optimizerToKeras`
 * and tf.js serialization find them here, so adding an optimizer is its file plus one line.
 */
export { SGD } from "./SGD.js";
export { Adam } from "./Adam.js";
export { Ftrl, type FtrlConfig, type FtrlOptions } from "./Ftrl.js";
export { Lion, type LionConfig, type LionOptions } from "./Lion.js";
export { Lamb, type LambConfig, type LambOptions } from "./Lamb.js";
export { Adafactor, type AdafactorConfig, type AdafactorOptions } from "./Adafactor.js";
export { Muon, type MuonConfig, type MuonOptions } from "./Muon.js";
export { ScheduleFreeAdamW, type ScheduleFreeAdamWConfig, type ScheduleFreeAdamWOptions } from "./ScheduleFreeAdamW.js";
export { RMSprop, type RMSpropConfig, type RMSpropOptions } from "./RMSprop.js";
export { AdamW, type AdamWConfig, type AdamWOptions } from "./AdamW.js";
export { Adadelta, type AdadeltaConfig, type AdadeltaOptions } from "./Adadelta.js";
export { Adagrad, type AdagradConfig, type AdagradOptions } from "./Adagrad.js";
export { Adamax, type AdamaxConfig, type AdamaxOptions } from "./Adamax.js";
export { Nadam, type NadamConfig, type NadamOptions } from "./Nadam.js";
export { MultiOptimizer, type MultiOptimizerOptions, type OptimizerSelector } from "./MultiOptimizer.js";
