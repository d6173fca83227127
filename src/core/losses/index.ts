// The training losses on TF.js tensors. Each module reads like its formula in docs/math.md (section 2).
export { softmaxCrossEntropy } from './softmaxCrossEntropy';
export { ladeCrossEntropy } from './ladeCrossEntropy';
export { ladeRegularizer, ladeRegularizerTerms, type LadeRegularizerTerms } from './ladeRegularizer';
export { DEFAULT_LADE_ALPHA, DEFAULT_LADE_LAMBDA, ladeLoss, type LadeOptions } from './ladeLoss';
export { fusedLadeLoss, ladeLossWithGradients, type LadeLossWithGradients } from './fusedLade';
export { logitAdjustedCrossEntropy } from './logitAdjusted';
export { COUNT_EPS, PRIOR_EPS } from './common';
