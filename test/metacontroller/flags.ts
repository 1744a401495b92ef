// Metacontroller flag sets for the real-Metacontroller tests and bench:scale. The recommended set and the defaults
// come from cli/install/metacontroller-flags.ts (the one source the chart and the README use too); the other
// candidates are what bench:scale measures the recommendation against.
import {
  METACONTROLLER_DEFAULT_FLAGS,
  METACONTROLLER_SCALE_FLAGS,
  metacontrollerArgs,
  type MetacontrollerScaleFlags,
} from '../../cli/install/metacontroller-flags.js';

/** The recommended flags, as Metacontroller arguments. */
export const RECOMMENDED_FLAGS = metacontrollerArgs(METACONTROLLER_SCALE_FLAGS);

/** Metacontroller's own defaults, spelled out (what an install that sets nothing runs with). */
export const DEFAULT_FLAGS = metacontrollerArgs(METACONTROLLER_DEFAULT_FLAGS);

export interface FlagSet {
  label: string;
  flags: MetacontrollerScaleFlags;
}

/** What bench:scale compares at full size: the recommendation between a lower and a higher rate limit. */
export const CANDIDATE_FLAG_SETS: FlagSet[] = [
  { label: 'qps 50', flags: { 'client-go-qps': 50, 'client-go-burst': 100, workers: 10 } },
  { label: 'recommended', flags: METACONTROLLER_SCALE_FLAGS },
  { label: 'qps 200', flags: { 'client-go-qps': 200, 'client-go-burst': 400, workers: 32 } },
];
