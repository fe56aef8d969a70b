// Invite links sent before the operator console existed pointed here: they open the console's
// invite page with the same token.
location.replace("/console/invite" + location.search);
