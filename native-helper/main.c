/*
 * httptap-helper - puts a command in private namespaces whose only network is a TUN device owned by httptap.
 *
 * Theory of operation
 * -------------------
 * httptap is a JVM, and a multithreaded process may not unshare() a user namespace, so this small
 * single-threaded program does the namespace work. httptap spawns it with fd 3 = one end of a unix
 * socketpair (the control socket) and a command line built by dev.httptap.sandbox.HelperArguments:
 *
 *   httptap-helper [--verbose] [--no-userns] --tun NAME --address A.B.C.D/PREFIX --gateway A.B.C.D
 *                  [--address6 IPV6/PREFIX --gateway6 IPV6] [--mtu N] [--user NAME|UID] [--uid N] [--gid N]
 *                  [--bind SRC:DST]... [--close-fd N]... [--keep-leftovers] -- COMMAND [ARG]...
 *
 * The helper then, in order:
 *   1. enters new user, network and mount namespaces (namespaces.c), and a new PID namespace for the
 *      processes to come (init.c);
 *   2. makes mounts private and applies the bind mounts (mounts.c);
 *   3. creates the TUN device (tun.c) and configures lo, the TUN address, MTU, default route, IPv6 and
 *      ping permission (netconf.c, netconf6.c);
 *   4. sends the TUN descriptor to httptap over the control socket, or one line of error text if any step
 *      failed (handoff.c, report.c);
 *   5. waits for httptap's "go" byte (end-of-file instead: httptap is gone, exit quietly), then ties its
 *      life to httptap's and forks the PID namespace's init, which forks the command (init.c), which
 *      switches user and exec's it (launch.c).
 * The helper stays until the init ends, passing signals on; the code it exits with is the command's.
 *
 * `httptap-helper --lead ...` is the launcher's early start instead (lead.c): it runs these same steps in a
 * child of its own, without step 5's wait, and the JVM beside it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helper.h"

#define DEFAULT_MTU 65520

/* Exit code when the helper is run by hand or with a command line httptap would never build. */
#define USAGE_EXIT 2

/* Checks that fd 3 is a socket before anything is reported over it. */
static void require_control_socket(void)
{
	struct stat st;

	if (fstat(CONTROL_FD, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "httptap-helper: this program is started by httptap, with a socket as fd 3\n");
		exit(USAGE_EXIT);
	}
}

/*
 * Parses "ADDRESS/PREFIX" of the given family into address and prefix_length; flag and form name the
 * option and its shape in the error message.
 */
static void parse_cidr(const char *text, int family, void *address, int *prefix_length, long max_prefix,
		       const char *flag, const char *form)
{
	char copy[INET6_ADDRSTRLEN + 4];
	char *slash;
	char *end;
	long prefix;

	snprintf(copy, sizeof(copy), "%s", text);
	slash = strchr(copy, '/');
	if (!slash)
		die("bad %s '%s': expected %s", flag, text, form);
	*slash = '\0';
	prefix = strtol(slash + 1, &end, 10);
	if (inet_pton(family, copy, address) != 1 || *end != '\0' || end == slash + 1 || prefix < 1 ||
	    prefix > max_prefix)
		die("bad %s '%s': expected %s", flag, text, form);
	*prefix_length = (int)prefix;
}

/* Parses a uid or gid for the id maps: 0 to 2^32 - 2 (the kernel's largest, -1 being "no id"). */
static long long parse_id(const char *text, const char *flag)
{
	char *end;
	unsigned long long value;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || end == text || *end != '\0' || text[0] == '-' || value > 4294967294ULL)
		die("bad %s '%s': expected 0 to 4294967294", flag, text);
	return (long long)value;
}

/* Fills cfg from argv; every mistake is reported over the control socket like any other failure. */
static void parse_arguments(int argc, char **argv, struct helper_config *cfg)
{
	enum {
		OPT_VERBOSE = 1, OPT_NO_USERNS, OPT_TUN, OPT_ADDRESS, OPT_GATEWAY, OPT_ADDRESS6, OPT_GATEWAY6, OPT_MTU,
		OPT_USER, OPT_BIND, OPT_CLOSE_FD, OPT_UID, OPT_GID, OPT_KEEP_LEFTOVERS
	};
	static const struct option options[] = {
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "no-userns", no_argument, NULL, OPT_NO_USERNS },
		{ "tun", required_argument, NULL, OPT_TUN },
		{ "address", required_argument, NULL, OPT_ADDRESS },
		{ "gateway", required_argument, NULL, OPT_GATEWAY },
		{ "address6", required_argument, NULL, OPT_ADDRESS6 },
		{ "gateway6", required_argument, NULL, OPT_GATEWAY6 },
		{ "mtu", required_argument, NULL, OPT_MTU },
		{ "user", required_argument, NULL, OPT_USER },
		{ "bind", required_argument, NULL, OPT_BIND },
		{ "close-fd", required_argument, NULL, OPT_CLOSE_FD },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "keep-leftovers", no_argument, NULL, OPT_KEEP_LEFTOVERS },
		{ NULL, 0, NULL, 0 },
	};
	int have_address = 0, have_gateway = 0, have_address6 = 0, have_gateway6 = 0;
	int option;

	memset(cfg, 0, sizeof(*cfg));
	cfg->new_user_namespace = 1;
	cfg->inside_uid = cfg->inside_gid = -1;
	cfg->mtu = DEFAULT_MTU;
	cfg->binds = calloc((size_t)argc, sizeof(char *));
	if (!cfg->binds)
		die("out of memory");

	opterr = 0; /* getopt's own messages would go to stderr instead of httptap */
	while ((option = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (option) {
		case OPT_VERBOSE:
			cfg->verbose = 1;
			report_init(1);
			break;
		case OPT_NO_USERNS:
			cfg->new_user_namespace = 0;
			break;
		case OPT_TUN:
			if (strlen(optarg) == 0 || strlen(optarg) >= 16 || strchr(optarg, '/'))
				die("bad --tun '%s': an interface name has 1 to 15 characters and no '/'", optarg);
			cfg->tun_name = optarg;
			break;
		case OPT_ADDRESS:
			parse_cidr(optarg, AF_INET, &cfg->address, &cfg->prefix_length, 32, "--address", "A.B.C.D/PREFIX");
			have_address = 1;
			break;
		case OPT_GATEWAY:
			if (inet_pton(AF_INET, optarg, &cfg->gateway) != 1)
				die("bad --gateway '%s': expected A.B.C.D", optarg);
			have_gateway = 1;
			break;
		case OPT_ADDRESS6:
			parse_cidr(optarg, AF_INET6, &cfg->address6, &cfg->prefix_length6, 127, "--address6", "IPV6/PREFIX");
			have_address6 = 1;
			break;
		case OPT_GATEWAY6:
			if (inet_pton(AF_INET6, optarg, &cfg->gateway6) != 1)
				die("bad --gateway6 '%s': expected an IPv6 address", optarg);
			have_gateway6 = 1;
			break;
		case OPT_MTU:
			cfg->mtu = atoi(optarg);
			if (cfg->mtu < 68 || cfg->mtu > 65535)
				die("bad --mtu '%s': expected 68 to 65535", optarg);
			break;
		case OPT_USER:
			cfg->user = optarg;
			break;
		case OPT_UID:
			cfg->inside_uid = parse_id(optarg, "--uid");
			break;
		case OPT_GID:
			cfg->inside_gid = parse_id(optarg, "--gid");
			break;
		case OPT_BIND:
			cfg->binds[cfg->bind_count++] = optarg;
			break;
		case OPT_CLOSE_FD:
			if (strlen(optarg) != 1 || optarg[0] < '0' || optarg[0] > '2' || cfg->closed_fd_count == 3)
				die("bad --close-fd '%s': expected 0, 1 or 2", optarg);
			cfg->closed_fds[cfg->closed_fd_count++] = optarg[0] - '0';
			break;
		case OPT_KEEP_LEFTOVERS:
			cfg->keep_leftovers = 1;
			break;
		default:
			die("helper: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (!cfg->tun_name || !have_address || !have_gateway)
		die("helper: --tun, --address and --gateway are required");
	if (have_address6 != have_gateway6)
		die("helper: --address6 and --gateway6 go together");
	cfg->have_ipv6 = have_address6;
	if (optind >= argc)
		die("helper: no command to run");
	cfg->command = argv + optind;
}

/** Opens this process's network namespace, so that httptap can keep it (and the TUN queue) alive. */
static int open_network_namespace(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die_errno(NULL, "cannot open the new network namespace (/proc/self/ns/net)");
	return fd;
}

/**
 * Runs the five steps of the theory of operation. early (the lead's sandbox child, lead.c) skips step 5's
 * wait: the command starts at once and its packets wait in the TUN queue until the JVM reads them.
 */
int helper_run(int argc, char **argv, int early)
{
	struct helper_config cfg;
	pid_t parent = getppid();
	int full_id_range;
	int tun_fd;

	require_control_socket();
	/*
	 * Nothing inherited stays open but stdin, stdout, stderr and the control socket. The JVM's descriptors
	 * are not close-on-exec, and one held here while httptap waits would stay held until the command ran: the
	 * pipe of a program the JVM starts at the same moment (certutil, for the browsers' trust) then never gave
	 * that start its end-of-file, and the run hung, each side waiting for the other.
	 */
	if (close_range(CONTROL_FD + 1, ~0U, 0) < 0)
		die_errno(NULL, "cannot close inherited descriptors (close_range)");
	optind = 0; /* getopt starts afresh: lead.c may have parsed its own arguments */
	parse_arguments(argc, argv, &cfg);
	cfg.early = early;

	full_id_range = namespaces_enter(&cfg);
	pid_namespace_enter();
	mounts_make_private();
	mounts_bind(&cfg);
	tun_fd = tun_create(cfg.tun_name);
	netconf_configure(&cfg, full_id_range);

	handoff_send_fds(tun_fd, open_network_namespace());
	report_handed_off();
	if (!early && !handoff_wait_for_go())
		exit(EXIT_FAILURE); /* httptap went away before the command started */
	launch_command(&cfg, parent);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--lead") == 0)
		lead_main(argc, argv);
	helper_run(argc, argv, 0);
}
