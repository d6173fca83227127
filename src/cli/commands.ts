// The subcommands of `lade`. Each lives in its own module, loaded only when run; adding one is one line.
import type { CommandModule } from './command';

export interface CommandEntry {
  readonly name: string;
  /** One line for `lade --help`. */
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'analyze', summary: 'Count images per class and describe the label distribution of a dataset', load: () => import('./analyze') },
  { name: 'train', summary: 'Train a classifier (LADE, CE or Balanced Softmax) on an image-folder dataset', load: () => import('./train') },
  { name: 'eval', summary: 'Softmax / PC Softmax / LADE metrics of finished runs under target priors', load: () => import('./eval') },
  { name: 'demo', summary: 'Analyse, train LADE and CE, and report on the embedded sample (or any dataset)', load: () => import('./demo') },
  { name: 'import', summary: 'Make a run folder from a model trained elsewhere: logits files (.npz, .safetensors, CSV) or ONNX', load: () => import('./import') },
  { name: 'estimate-prior', summary: 'Estimate the class distribution of a folder of unlabelled deployment images', load: () => import('./estimatePrior') },
];
