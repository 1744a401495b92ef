# Node.js: the versions the project runs on, then the dependencies.
node --version; npm --version; go version
npm ci --no-audit --no-fund
echo "Node.js of the runtime image (test/runtime/image-node.test.ts runs the compiled runtime on it)"
npx tsx -e "import('./test/runtime/image-node.ts').then(async (m) => console.log(await m.ensureNode(await m.dockerfileNodeMajor('Dockerfile'))))"
