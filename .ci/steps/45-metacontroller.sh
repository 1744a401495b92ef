# The real Metacontroller (v4.17.2, built from ../shared/metacontroller/*.tar.gz through the Go module proxy, cached
# in ~/.cache/metagent/metacontroller-<version>-<sha256>/ with a flock): the real-Metacontroller suite, the
# differential test and bench:scale run it on the host against a test cluster of their own.
bash test/cluster/build-metacontroller.sh
