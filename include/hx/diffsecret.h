#ifndef HX_DIFFSECRET_H
#define HX_DIFFSECRET_H

struct hx_mobj;
struct hx_diff_opts;

/*
 * The texts two objects (either may be NULL: "") are compared as, new
 * strings into *ot and *nt: their YAML as it is, or for two Secrets
 * their values as helm-diff shows them: 'REDACTED # (N bytes)' when
 * unchanged, '-------- # (N bytes)' / '++++++++ # (N bytes)' when not
 * (stringData folded into data), decoded with show_secrets_decoded, as
 * they are with show_secrets.
 */
void hx_diff_texts(char **ot, char **nt, const struct hx_mobj *o,
                   const struct hx_mobj *n, const struct hx_diff_opts *opt);

#endif
