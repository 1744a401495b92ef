# The floors hold: every import between top-level folders is one layout.json allows, and no files import each other
# in a loop (scripts/check-layout.ts over the TypeScript compiler's module resolution). Fails naming the files.
npm run --silent check:layout
