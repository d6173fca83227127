#!/bin/bash
# Device side of scripts/gpu-pack.sh: bash scripts/gpu-run.sh with .gpu and .gl carried (.gl: apt-get download
# libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 -- the NVIDIA Vulkan ICD, libGLX_nvidia.so.0, needs
# libglvnd: with libvulkan1 alone vkCreateInstance found no driver). Env: GPU_CHECK_TIMEOUT, GPU_CHECK_ROUNDS, GPU_CHECK_STEPS.
exec > >(tee "$OUT/log") 2>&1
echo "== probe"; date; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "libvulkan before: $(ldconfig -p | grep -c libvulkan)"
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1
for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
echo "libvulkan after: $(ldconfig -p | grep libvulkan.so.1)"
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"; cat "${VK_DRIVER_FILES:-/dev/null}" 2>&1 | head -8
N=$(command -v node || true); echo "device node: ${N:-none} $($N --version 2>/dev/null)"
if [ -z "$N" ] || [ "$($N -p 'process.versions.node.split(".")[0]>=20' 2>/dev/null)" != true ]; then
  xz -dc .gpu/node.xz >/tmp/node && chmod +x /tmp/node && N=/tmp/node
fi
xz -dc .gpu/dawn.node.xz >.gpu/app/node_modules/webgpu/dist/linux-x64/dawn.node
echo "using $N $($N --version)"; nproc; grep -m1 'model name' /proc/cpuinfo
cd .gpu/app && timeout ${GPU_CHECK_TIMEOUT:-330} "$N" gpu-check.js lade-golden-public.json; echo "gpu-check rc=$?"
date
