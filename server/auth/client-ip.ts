/**
 * Express knows the client's address (req.ip, honouring `trust proxy`); Auth.js only sees a web
 * Request. We stamp this header before Auth.js runs, replacing any value a client sent.
 */
export const CLIENT_IP_HEADER = "x-carelane-client-ip";
