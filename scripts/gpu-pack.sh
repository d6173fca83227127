#!/bin/sh
# Packs .gpu/ (git-ignored through .git/info/exclude) for one run of scripts/gpu-check.ts on a machine with a
# GPU and no npm registry: the check bundled with esbuild (tfjs, tfjs-backend-webgpu and the project code
# inside; the native `webgpu` package beside it, external), the wasm files, the public golden file, and
# xz-compressed copies of this machine's node and of webgpu's linux-x64 dawn.node (other platforms left out).
# Then on the device: bash scripts/gpu-run.sh (carry .gpu and .gl), which unpacks both and runs
# node .gpu/app/gpu-check.js .gpu/app/lade-golden-public.json, logging to $OUT/log.
set -eu
app=.gpu/app
rm -rf "$app"
mkdir -p "$app/wasm" "$app/node_modules/webgpu/dist/linux-x64"
npx esbuild scripts/gpu-check.ts --bundle --platform=node --format=cjs --target=node20 --log-level=warning \
  --external:webgpu --external:sharp --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --alias:fdir=./node_modules/fdir/dist/index.cjs --outfile="$app/gpu-check.js"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$app/wasm/"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$app/node_modules/webgpu/"
cp test/fixtures/lade-golden-public.json "$app/"
[ -f .gpu/node.xz ] || xz -T2 -9 -c "$(readlink -f "$(command -v node)")" >.gpu/node.xz
[ -f .gpu/dawn.node.xz ] || xz -T2 -9 -c node_modules/webgpu/dist/linux-x64/dawn.node >.gpu/dawn.node.xz
du -sh .gpu
