#!/usr/bin/env bash
# Rebuild every learned file in src/arnews_nlp/data from ../shared/data (docs/model.md):
# word counts, word classes, five teacher BiLSTM-CRFs, the news they label, their
# student, and the shipped model: that student fine-tuned on the labelled sentences.
# About an hour and a half on two cores; needs torch and the train extra:
#   pip install torch==2.13.0 && pip install -e '.[train]'
# Usage: bash scripts/build_model.sh [--dev]   (--dev: hold out the last 10% of the
# training split and report on it, writing to build/dev/ instead of the package)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
data=$shared/data
news=("$data/ant-corpus-v1.1" "$data/ant-corpus-multisource-v2.1")
train=$data/anercorp-camellab-splits/ANERCorp_CamelLab_train.reconstructed.txt
exclude=(--exclude-ids-from "$shared/eval/quotes-dev-docs.jsonl")  # evaluation articles
build=build/model
out=src/arnews_nlp/data/ner_nn.npz
split=()
if [ "${1:-}" = "--dev" ]; then
  build=build/dev
  out=$build/finetuned.npz
  split=(--dev-fraction 0.1)
fi
mkdir -p "$build"
export OMP_NUM_THREADS=2  # one training at a time: two at once on two cores is far slower

if [ "${1:-}" != "--dev" ]; then
  python -m arnews_nlp.train vocab --corpus "${news[@]}" "${exclude[@]}"
  python -m arnews_nlp.train clusters --corpus "${news[@]}" "${exclude[@]}"
fi
common=(--train "$train" --vectors-from "${news[@]}" "${exclude[@]}" --freeze-embeddings "${split[@]}")
for seed in 1 2 3 4 5; do
  python -m arnews_nlp.train neural "${common[@]}" --epochs 20 --seed "$seed" \
    --out "$build/teacher-$seed.npz" > "$build/teacher-$seed.log"
done
python -m arnews_nlp.train pseudo --models "$build"/teacher-{1,2,3,4,5}.npz \
  --corpus "${news[@]}" "${exclude[@]}" --sentences 20000 --seed 1 --out "$build/pseudo.conll"
# dropout 0.3 (the teachers keep 0.5) and seed 3: of the fine-tuned students of seeds 1-3
# the best on the dev articles (docs/model.md, "Less dropout for the student")
python -m arnews_nlp.train neural "${common[@]}" --extra-train "$build/pseudo.conll" \
  --gold-repeat 2 --epochs 10 --seed 3 --dropout 0.3 --out "$build/student.npz" > "$build/student.log"
# 6. the student fine-tuned on the labelled sentences alone: two epochs at a tenth of the rate
python -m arnews_nlp.train neural --train "$train" "${split[@]}" --init-from "$build/student.npz" \
  --epochs 2 --learning-rate 0.0002 --seed 1 --out "$out" > "$build/finetuned.log"
echo "wrote $out (logs in $build/)"
