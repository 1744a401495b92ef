export { startDashboard, type DashboardOptions, type DashboardServer } from './server.js';
export { kubeCall, type KubeCall, type KubeRequest, type KubeResponse } from './kube-client.js';
export { identify, trustedAddressList, type IdentityMode } from './identity.js';
export { defaultWebRoot } from './web-root.js';
