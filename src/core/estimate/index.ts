// Public surface of the deployment-prior estimator.
export { estimatePrior } from './estimatePrior';
export { jsDivergence, l1Distance } from './divergence';
export { EstimateInputError } from './validate';
export type * from './types';
