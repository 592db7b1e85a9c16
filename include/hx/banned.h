#ifndef HX_BANNED_H
#define HX_BANNED_H

/*
 * Functions helm-x does not call, as git's banned.h: each .c file includes
 * this header after every other, so a call of one of these names fails to
 * compile with the reason in the name (object-like macros: taking its
 * address fails too).  Unbounded writes (sprintf,
 * strcpy, strcat, strncat's confusing bound: hx_strbuf or snprintf
 * instead), hidden state (strtok), no error report (atoi: strtol), and a
 * shell between helm-x and a program (system, popen, wordexp: hx_proc with
 * an argv array).
 */
#define HX_BANNED(func) (sorry_##func##_is_banned_in_helm_x)

#undef sprintf
#define sprintf HX_BANNED(sprintf)
#undef vsprintf
#define vsprintf HX_BANNED(vsprintf)
#undef strcpy
#define strcpy HX_BANNED(strcpy)
#undef strcat
#define strcat HX_BANNED(strcat)
#undef strncat
#define strncat HX_BANNED(strncat)
#undef strtok
#define strtok HX_BANNED(strtok)
#undef gets
#define gets HX_BANNED(gets)
#undef atoi
#define atoi HX_BANNED(atoi)
#undef system
#define system HX_BANNED(system)
#undef popen
#define popen HX_BANNED(popen)
#undef wordexp
#define wordexp HX_BANNED(wordexp)

#endif
