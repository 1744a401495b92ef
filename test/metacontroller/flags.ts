// Metacontroller's flags for a cluster with many Agents, as the install docs recommend them (bench:scale measures
// them against Metacontroller's defaults: QPS 5, burst 10, 5 workers).
export const RECOMMENDED_FLAGS = ['--client-go-qps', '50', '--client-go-burst', '100', '--workers', '10'];

/** Metacontroller's own defaults, spelled out (what an install that sets nothing runs with). */
export const DEFAULT_FLAGS = ['--client-go-qps', '5', '--client-go-burst', '10', '--workers', '5'];
