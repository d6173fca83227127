// Saves and loads a TF.js LayersModel as model.json + weights.bin in a folder (the format tf.loadLayersModel
// reads over http), through an IOHandler of our own since tfjs-node's file:// handler is not available.
import { UserError } from '../userError';
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';

const WEIGHTS_FILE = 'weights.bin';

function joinWeights(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : (data as ArrayBuffer);
}

export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const weights = artifacts.weightData ? joinWeights(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'lade-studio',
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      mkdirSync(dir, { recursive: true });
      // Weights first: model.json only ever points at a complete weights file.
      writeFileAtomic(path.join(dir, WEIGHTS_FILE), [new Uint8Array(weights)]);
      writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData: weights }) };
    },
  };
}

interface ModelJson {
  modelTopology: object;
  format?: string;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function parseModelJson(file: string): ModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`Cannot read model '${file}': ${(e as Error).message}`, { cause: e });
  }
  const o = parsed as Partial<ModelJson>;
  if (typeof o !== 'object' || o === null || typeof o.modelTopology !== 'object' || !Array.isArray(o.weightsManifest)) {
    throw new UserError(`'${file}' is not a TF.js layers model.json (needs modelTopology and weightsManifest).`);
  }
  return o as ModelJson;
}

export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const json = parseModelJson(modelJsonPath);
      const dir = path.dirname(modelJsonPath);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(readFileSync(path.join(dir, p)));
      }
      const total = buffers.reduce((n, b) => n + b.length, 0);
      const weightData = new Uint8Array(total);
      let at = 0;
      for (const b of buffers) {
        weightData.set(b, at);
        at += b.length;
      }
      return { modelTopology: json.modelTopology, format: json.format, weightSpecs: specs, weightData: weightData.buffer };
    },
  };
}

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir));
}

export async function loadModel(modelJsonPath: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(modelJsonPath));
}
