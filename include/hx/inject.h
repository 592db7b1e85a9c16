#ifndef HX_INJECT_H
#define HX_INJECT_H

struct hx_strvec;

/*
 * helm-x's --inject 'CMD ARGS... FILE': split the text into argv (blanks
 * separate words; '...' and "..." quote), never through a shell.  Returns
 * -1 with the error set for an unclosed quote or a command without FILE.
 */
int hx_inject_parse(struct hx_strvec *out, const char *text);

/*
 * Run the command on path (FILE replaced by it, also inside a word) and
 * replace the file's content with the command's output.  A failing command
 * is an error naming it and the file.
 */
int hx_inject_file(const struct hx_strvec *cmd, const char *path);

/* The same for every regular file under dir, in sorted order. */
int hx_inject_dir(const struct hx_strvec *cmd, const char *dir);

#endif
