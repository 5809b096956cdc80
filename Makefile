# Retort: `make demo` and `make test` work on a fresh Debian machine with Swift installed.
SWIFT ?= swift
BIN = $$($(SWIFT) build --show-bin-path)

.PHONY: setup build test demo experiment demo-plugins report-png bench clean

## setup: install system libraries (Debian packages) and the OpenAI Python client the server's
## integration test talks to, build everything, fetch the embedded teacher
setup:
	./scripts/setup-system.sh
	python3 -c "import openai" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check openai
	$(SWIFT) build
	$(BIN)/retort models pull smollm2-135m-instruct

build:
	$(SWIFT) build

## test: set up, build the plugins and tests, and run the test suite
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

## demo: set up, then distill the embedded default end to end, fully offline: SmolLM2-135M-Instruct
## teaches a layer subset of itself (elicit, SFT, on-policy JSD, held-out evaluation), and the report
demo: setup
	$(BIN)/retort distill --run-dir runs/distill-default
	$(BIN)/retort report runs/distill-default -o runs/distill-default/report.html
	@echo "== report: runs/distill-default/report.html"

## experiment: the README's objective table: SFT, forward KL, reverse KL, JSD(0.5) and on-policy JSD on
## the same data and step budget, each from the un-distilled student or an SFT warm-up (about 45 minutes)
experiment: setup
	$(BIN)/retort run Examples/recipes/experiment.yaml --run-dir runs/experiment
	$(BIN)/retort report runs/experiment -o runs/experiment/report.html
	$(BIN)/retort report runs/experiment --table

## demo-plugins: the plugin host at work on the example plugins
demo-plugins: build
	@echo "== plugins found beside the retort executable"
	$(BIN)/retort plugins list
	@echo "== what the C example plugin offers"
	$(BIN)/retort plugins inspect c-example
	@echo "== native tools of the C plugin, called through libffi"
	$(BIN)/retort tools call c-example.factorial --args '{"n": 20}'
	$(BIN)/retort tools call c-example.reverse --args '{"text": "Retort"}'
	@echo "== a library built against another ABI is refused, naming both versions"
	@$(BIN)/retort plugins validate $(BIN)/libretort_fixture_WrongABI.so || echo "(exit code $$?, as expected for a broken plugin)"

## report-png: render a report with headless Chromium to check it by eye (REPORT=… [PNG=…] [HEIGHT=3000])
report-png:
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
	./scripts/render-report.sh $(REPORT) $(or $(PNG),$(REPORT:.html=.png)) $(or $(HEIGHT),3000)

## bench: benchmarks (release build), printing ratios against a peer measured in the same run
bench: setup
	$(SWIFT) build -c release
	$$($(SWIFT) build -c release --show-bin-path)/retort bench tools
	$$($(SWIFT) build -c release --show-bin-path)/retort bench train
	$$($(SWIFT) build -c release --show-bin-path)/retort bench train --json > .build/bench-train-float32.json
	$$($(SWIFT) build -c release --show-bin-path)/retort bench train --precision bf16 --json > .build/bench-train-bf16.json \
		|| echo "bench train: no bf16 run on this machine"
	./scripts/peer-venv.sh .build/peer-venv torch transformers
	.build/peer-venv/bin/python benchmarks/train_peer.py .build/bench-train-float32.json .build/bench-train-bf16.json
	$$($(SWIFT) build -c release --show-bin-path)/retort bench elicit
	$$($(SWIFT) build -c release --show-bin-path)/retort bench dedup --prefix 1000 --out .build/novelty-bench.jsonl
	python3 -c "import rouge_score" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check rouge-score
	python3 benchmarks/dedup_peer.py .build/novelty-bench.jsonl --prefix 1000
	$$($(SWIFT) build -c release --show-bin-path)/retort bench decode --json | python3 benchmarks/decode_peer.py

clean:
	rm -rf .build
