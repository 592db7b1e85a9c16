#ifndef HX_CMD_H
#define HX_CMD_H

/* Commands: argv[0] is the command name; each returns the exit code. */
int hx_cmd_patch(int argc, char **argv);

#endif
