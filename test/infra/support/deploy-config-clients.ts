/** The smallest clients map readDeployConfig accepts: a context that names only one client. */
export const clients = { default: {} };
