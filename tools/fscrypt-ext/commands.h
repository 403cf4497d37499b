/* fscrypt-ext tool: the subcommand entry points (argv[0] is the subcommand's name). */
#ifndef FSCRYPT_EXT_CLI_COMMANDS_H
#define FSCRYPT_EXT_CLI_COMMANDS_H

int cmd_kat(int argc, char **argv);          /* kat/runner.c */
int cmd_version(int argc, char **argv);      /* cmd_version.c */
int cmd_key(int argc, char **argv);          /* cmd_key.c */
int cmd_policy(int argc, char **argv);       /* cmd_policy.c */
int cmd_context(int argc, char **argv);      /* cmd_context.c */
int cmd_encrypt_data(int argc, char **argv); /* cmd_data.c */
int cmd_decrypt_data(int argc, char **argv); /* cmd_data.c */
int cmd_encrypt_name(int argc, char **argv); /* cmd_name.c */
int cmd_decrypt_name(int argc, char **argv); /* cmd_name.c */
int cmd_nokey(int argc, char **argv);        /* cmd_nokey.c */
int cmd_bench(int argc, char **argv);        /* bench/cmd_bench.c */
#ifdef FSCRYPT_EXT_HAVE_PROTECTOR
int cmd_protector(int argc, char **argv);            /* cmd_protector.c (google/fscrypt) */
int cmd_policy_add_protector(int argc, char **argv); /* cmd_protector_create.c */
#endif

#endif
