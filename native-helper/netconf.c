/*
 * netconf.c - addresses, links and routes inside the new network namespace.
 *
 * The namespace starts with nothing but a downed loopback. We bring lo up (programs talk to 127.0.0.1),
 * give the TUN device its IPv4 address, netmask and MTU, bring it up, and send all traffic to it with a
 * default route via the gateway address. IPv6 gets its address and default route too when httptap asks
 * for them (netconf6.c); otherwise it is switched off on the TUN device, or the kernel would send router
 * solicitations into it, and an IPv6 connect() fails at once with ENETUNREACH, so dual-stack clients fall
 * back to IPv4 without waiting. Finally ping sockets are allowed for the command's group, so that an
 * unprivileged ping works, and ports in TIME-WAIT may be reused as towards loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <net/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper.h"

/* Writes a value to a file under /proc/sys. */
static void write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t length = (ssize_t)strlen(value);

	if (fd < 0)
		die_errno(NULL, "open %s", path);
	if (write(fd, value, (size_t)length) != length)
		die_errno(NULL, "write '%s' to %s", value, path);
	close(fd);
}

/* Fills an ifreq's address field with an IPv4 address. */
static void set_ifreq_address(struct sockaddr *field, struct in_addr address)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = address };

	memcpy(field, &sin, sizeof(sin));
}

#define TUN_QUEUE_PACKETS 16384

/* Prepares an ifreq naming the interface. */
static void ifreq_for(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
}

/* Sets IFF_UP on an interface, keeping its other flags. */
static void link_up(int sock, const char *name)
{
	struct ifreq ifr;

	ifreq_for(&ifr, name);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		die_errno(NULL, "cannot read the flags of %s (SIOCGIFFLAGS)", name);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		die_errno(NULL, "cannot bring %s up (SIOCSIFFLAGS)", name);
}

/* Gives the TUN device its address, netmask and MTU. */
static void configure_address(int sock, const struct helper_config *cfg)
{
	struct in_addr netmask = {
		.s_addr = cfg->prefix_length == 0 ? 0 : htonl(~0U << (32 - cfg->prefix_length)),
	};
	struct ifreq ifr;

	ifreq_for(&ifr, cfg->tun_name);
	set_ifreq_address(&ifr.ifr_addr, cfg->address);
	if (ioctl(sock, SIOCSIFADDR, &ifr) < 0)
		die_errno(NULL, "cannot set the address of %s (SIOCSIFADDR)", cfg->tun_name);

	ifreq_for(&ifr, cfg->tun_name);
	set_ifreq_address(&ifr.ifr_netmask, netmask);
	if (ioctl(sock, SIOCSIFNETMASK, &ifr) < 0)
		die_errno(NULL, "cannot set the netmask of %s (SIOCSIFNETMASK)", cfg->tun_name);

	ifreq_for(&ifr, cfg->tun_name);
	ifr.ifr_mtu = cfg->mtu;
	if (ioctl(sock, SIOCSIFMTU, &ifr) < 0)
		die_errno(NULL, "cannot set the MTU of %s to %d (SIOCSIFMTU)", cfg->tun_name, cfg->mtu);
}

/*
 * The command's packets wait in the TUN device's queue until httptap reads them. The kernel's default of 500
 * overflows when thousands of connections open at once: their SYNs are dropped and retried only a second
 * later. The queue holds pointers; the packets stay charged to the command's sockets. Set over rtnetlink
 * ("ip link set TUN txqueuelen N"), as a user namespace may not use SIOCSIFTXQLEN; before the link goes up,
 * so that its queueing discipline takes the same length.
 */
static void set_queue_length(int sock, const struct helper_config *cfg)
{
	struct netlink_request request;
	unsigned int length = TUN_QUEUE_PACKETS;
	struct ifreq ifr;
	int error;

	ifreq_for(&ifr, cfg->tun_name);
	if (ioctl(sock, SIOCGIFINDEX, &ifr) < 0)
		die_errno(NULL, "cannot find the index of %s (SIOCGIFINDEX)", cfg->tun_name);
	memset(&request, 0, sizeof(request));
	request.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	request.header.nlmsg_type = RTM_NEWLINK;
	request.body.link.ifi_family = AF_UNSPEC;
	request.body.link.ifi_index = ifr.ifr_ifindex;
	netlink_add_attribute(&request, IFLA_TXQLEN, &length, sizeof(length));
	error = netlink_call(&request);
	if (error)
		die("cannot set the queue length of %s: %s", cfg->tun_name, strerror(error));
}

/* Adds "default via gateway dev tun". */
static void add_default_route(int sock, const struct helper_config *cfg)
{
	struct in_addr any = { .s_addr = INADDR_ANY };
	char device[IFNAMSIZ];
	struct rtentry route;

	memset(&route, 0, sizeof(route));
	set_ifreq_address(&route.rt_dst, any);
	set_ifreq_address(&route.rt_genmask, any);
	set_ifreq_address(&route.rt_gateway, cfg->gateway);
	route.rt_flags = RTF_UP | RTF_GATEWAY;
	snprintf(device, sizeof(device), "%s", cfg->tun_name);
	route.rt_dev = device;
	if (ioctl(sock, SIOCADDRT, &route) < 0)
		die_errno(NULL, "cannot add the default route via %s (SIOCADDRT)", inet_ntoa(cfg->gateway));
}

/*
 * Lets the command's group open ICMP echo sockets. With every id mapped (root, for --user), that is the
 * first range of gids this namespace has: all of them for real root; the kernel refuses unmapped gids.
 */
static void allow_ping(int full_id_range)
{
	unsigned long first = getgid(), count = 1;
	char range[64];

	if (full_id_range) {
		FILE *map = fopen("/proc/self/gid_map", "re");

		if (!map || fscanf(map, "%lu %*u %lu", &first, &count) != 2)
			die("cannot read /proc/self/gid_map");
		fclose(map);
	}
	/* The largest gid ping_group_range accepts is 2^32 - 2. */
	snprintf(range, sizeof(range), "%lu %lu", first, first + count - 1 > 4294967294UL ? 4294967294UL : first + count - 1);
	write_sysctl("/proc/sys/net/ipv4/ping_group_range", range);
}

/*
 * Lets connect() take a port whose last connection is in TIME-WAIT once a second has passed, TCP timestamps
 * telling old segments from new: Linux's default allows that only towards loopback, and here every peer is
 * httptap's stack, as local as loopback. Without it a command that opens and closes connections by the
 * thousand (a load test, a loop of curls) holds all its ephemeral ports in TIME-WAIT within seconds, and
 * then each connect() searches them (5,000 -> 1,000 connections/s after 15,000 connections).
 */
static void allow_time_wait_reuse(void)
{
	write_sysctl("/proc/sys/net/ipv4/tcp_tw_reuse", "1");
}

/** Configures lo, the TUN device and the routes of the new network namespace. */
void netconf_configure(const struct helper_config *cfg, int full_id_range)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ipv6;

	if (sock < 0)
		die_errno(NULL, "cannot open a socket to configure the network");
	link_up(sock, "lo");

	/* Before the link goes up, or the kernel has already sent its router solicitation. */
	ipv6 = netconf6_prepare(cfg);

	configure_address(sock, cfg);
	set_queue_length(sock, cfg);
	link_up(sock, cfg->tun_name);
	add_default_route(sock, cfg);
	if (ipv6)
		netconf6_configure(cfg);
	allow_ping(full_id_range);
	allow_time_wait_reuse();
	close(sock);
	note("%s is up with %s/%d, MTU %d", cfg->tun_name, inet_ntoa(cfg->address), cfg->prefix_length, cfg->mtu);
}
