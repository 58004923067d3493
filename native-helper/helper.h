/*
 * helper.h - what the parts of httptap-helper share: the parsed command line and one entry point per
 * file. See main.c for the theory of operation.
 */
#ifndef HTTPTAP_HELPER_H
#define HTTPTAP_HELPER_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/types.h>

/* The descriptor Java passes in: one end of a unix socketpair. */
#define CONTROL_FD 3

/* Everything the command line asks for; filled once by main.c, read-only afterwards. */
struct helper_config {
	int verbose;              /* --verbose: notes on stderr */
	int new_user_namespace;   /* 0 with --no-userns (real root only) */
	const char *tun_name;     /* --tun NAME */
	struct in_addr address;   /* --address A.B.C.D/PREFIX */
	int prefix_length;
	struct in_addr gateway;   /* --gateway A.B.C.D: the default route's next hop */
	int have_ipv6;            /* 1 when --address6 and --gateway6 were given */
	struct in6_addr address6; /* --address6 IPV6/PREFIX */
	int prefix_length6;
	struct in6_addr gateway6; /* --gateway6 IPV6: the IPv6 default route's next hop */
	int mtu;                  /* --mtu N */
	const char *user;         /* --user NAME|UID, or NULL to keep the caller's identity */
	long long inside_uid;     /* --uid N: the uid the command sees inside, mapped to the caller's; -1: unset */
	long long inside_gid;     /* --gid N: likewise for the gid */
	char **binds;             /* --bind SRC:DST, in command-line order */
	int bind_count;
	int closed_fds[3];        /* --close-fd N: standard descriptors httptap found closed, closed again for the command */
	int closed_fd_count;
	int early;                /* run by lead.c: exec the command right after the hand-off, no "go" to wait for */
	int keep_leftovers;       /* --keep-leftovers: what the command leaves behind outlives it (init.c) */
	char **command;           /* the argv to exec, NULL-terminated */
};

/* main.c: the helper's whole job (see the theory of operation there); never returns. */
int helper_run(int argc, char **argv, int early) __attribute__((noreturn));

/* report.c */
void report_init(int verbose);
void report_handed_off(void);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_errno(const char *hint, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
const char *userns_restriction_hint(void);

/* namespaces.c */
int namespaces_enter(const struct helper_config *cfg);

/* mounts.c */
void mounts_make_private(void);
void mounts_bind(const struct helper_config *cfg);

/* tun.c */
int tun_create(const char *name);

/* netconf.c */
void netconf_configure(const struct helper_config *cfg, int full_id_range);

/* netlink.c: one rtnetlink request, header, family-specific part and attributes. */
struct netlink_request {
	struct nlmsghdr header;
	union {
		struct ifaddrmsg address;
		struct rtmsg route;
		struct ifinfomsg link;
	} body;
	char attributes[64];
};
void netlink_add_attribute(struct netlink_request *request, unsigned short type, const void *data, size_t length);
int netlink_call(struct netlink_request *request);

/* netconf6.c */
int netconf6_prepare(const struct helper_config *cfg);
void netconf6_configure(const struct helper_config *cfg);

/* handoff.c */
void handoff_send_fds(int tun_fd, int netns_fd);
void handoff_send_error(const char *text);
int handoff_wait_for_go(void);

/* init.c: the command's PID namespace and its init. */
void pid_namespace_enter(void);
void launch_command(const struct helper_config *cfg, pid_t parent) __attribute__((noreturn));

/* launch.c */
void exec_command(const struct helper_config *cfg) __attribute__((noreturn));

/* signals.c: the signals passed on to the command. */
int signals_take(void);
int signals_next(int signals);
int shell_code(int status);

/* lead.c: `httptap-helper --lead PLAN ...`, the launcher's fast start (see lead.c). */
int lead_main(int argc, char **argv) __attribute__((noreturn));

/* plan.c: the early-start plan a previous run wrote, checked against this run's arguments. */
struct plan {
	char *ca_dir;             /* the kept CA's directory, for the JVM */
	char **helper_args;       /* the helper's options, IPv6 ones included when this host has IPv6 */
	int helper_arg_count;
	char **environment;       /* NAME=VALUE added to the command's environment */
	int environment_count;
	char **command;           /* where the command starts in httptap's arguments (NULL-terminated) */
	int must_finish;          /* an option whose output matters even without traffic (e.g. --dump-har) */
};
const char *plan_load(const char *path, const char *jar, char **args, struct plan *plan);

#endif
