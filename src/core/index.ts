// The public surface for checks and plugins.
export { defineCheck, type Check, type Category } from './check.js';
export { defineProbe, type Probe, type ProbeContext } from './probe.js';
export { failure, type Facts, type FactName, type Probed, type ProbeFailure } from './facts.js';
export { pass, warn, fail, skip, info, type Finding, type Fix, type Status } from './finding.js';
