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
 * Run the command on path (FILE replaced by it, also inside a word).  What
 * it prints replaces the file's content; a command that prints nothing
 * edited the file in place (sed -i, yq -i), which is read back.  A failing
 * command, or a result with fewer documents than the file had (an empty
 * one would empty the release), is an error naming the command and
 * display (the file's name in messages: never a temporary path).
 */
int hx_inject_file(const struct hx_strvec *cmd, const char *path,
                   const char *display);

/*
 * The same for every regular file under dir, in sorted order, each named
 * by its path below dir.
 */
int hx_inject_dir(const struct hx_strvec *cmd, const char *dir);

#endif
