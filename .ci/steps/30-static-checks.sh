# Every line type-checked (sources, tests, benchmarks) and linted (typescript-eslint's type-aware rules).
npm run --silent typecheck
npm run --silent lint
