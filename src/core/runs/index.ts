// A run's vocabulary in one place: how it was trained, where its logits came from, its record on disk
// (run.json, docs/run-format.md), the one reader and writer of that file, and the default run name.
// The webview imports the pure modules (lossKind, record) directly; this index also pulls in node:fs.
export * from './config';
export * from './lossKind';
export * from './naming';
export * from './origin';
export * from './reader';
export * from './record';
export * from './writer';
