# The test control plane (builds kube-apiserver, kube-controller-manager, kubectl and etcd on first use); the EXIT
# trap in .ci/run stops it.
npm run --silent cluster:up
