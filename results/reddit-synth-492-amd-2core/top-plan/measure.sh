#!/bin/bash
# The fourth session's figures. Run from /work/main; base = /work/base (e161f11, the third
# session's last commit, built beside), main = /work/main. Builds alternate run by run.
cd /work/main
OUT=results/reddit-synth-492-amd-2core/top-plan
mkdir -p $OUT/runs
B=/work/base/build/drivers; M=/work/main/build/drivers
lscpu > $OUT/lscpu.txt
for i in 1 2 3; do
  $B/gcnrun --config configs/reddit-synth.ini --epochs 6 > $OUT/runs/base-492-w0-$i.txt 2>&1
  $M/gcnrun --config configs/reddit-synth.ini --epochs 6 > $OUT/runs/main-492-w0-$i.txt 2>&1
done
for i in 1 2 3; do
  $B/gcnrun --config configs/reddit-synth-small.ini --epochs 6 > $OUT/runs/base-50-w0-$i.txt 2>&1
  $M/gcnrun --config configs/reddit-synth-small.ini --epochs 6 > $OUT/runs/main-50-w0-$i.txt 2>&1
done
for i in 1 2 3 4 5; do
  $M/gcnrun --config configs/reddit-synth.ini --epochs 6 > $OUT/runs/main-492-w0-pair$i.txt 2>&1
  $M/gcnrun --config configs/reddit-synth.ini --epochs 6 --workers 2 > $OUT/runs/main-492-w2-pair$i.txt 2>&1
done
for i in 1 2; do
  OPENBLAS_CORETYPE=Zen GCN_SPMM_ISA=avx2 $B/gcnrun --config configs/reddit-synth.ini --epochs 6 > $OUT/runs/base-492-avx2-$i.txt 2>&1
  OPENBLAS_CORETYPE=Zen GCN_SPMM_ISA=avx2 $M/gcnrun --config configs/reddit-synth.ini --epochs 6 > $OUT/runs/main-492-avx2-$i.txt 2>&1
done
$M/gcnperf --config configs/reddit-synth.ini > $OUT/gcnperf-degree492-1.txt 2>&1
$B/gcnperf --config configs/reddit-synth.ini > $OUT/gcnperf-degree492-base.txt 2>&1
$M/gcnperf --config configs/reddit-synth.ini > $OUT/gcnperf-degree492-2.txt 2>&1
$M/gcnperf --config configs/reddit-synth.ini > $OUT/gcnperf-degree492-3.txt 2>&1
$M/gcnperf --config configs/reddit-synth-small.ini > $OUT/gcnperf-degree50.txt 2>&1
$M/gcnbench --config configs/bench-reddit-synth.ini --out $OUT/matrix --workers 0,1,2,16 \
  --ranks 2x1 --epochs 6 --conf sweep.hidden= --conf sweep.layers= \
  --conf sweep.partitioners= --conf sweep.forward_only=false > $OUT/matrix.log 2>&1
echo finished > $OUT/.done
