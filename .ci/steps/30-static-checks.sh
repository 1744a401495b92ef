# Every line type-checked (sources, tests, benchmarks), linted (typescript-eslint's type-aware rules) and formatted (Prettier).
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check
