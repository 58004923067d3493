/*
 * netconf6.c - the TUN device's IPv6 address and default route, through rtnetlink (the ioctls that set
 * IPv4 addresses and routes have no IPv6 counterparts for everything needed here).
 *
 * IPv6 is optional: a kernel without it, or any refusal, leaves the command with IPv4 only. Its IPv6
 * connect() calls then fail at once with ENETUNREACH and dual-stack clients fall back to IPv4, exactly as
 * on a host without IPv6. So every failure here is a note and a retreat, never the end of the run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper.h"

/* "ip -6 addr add ADDRESS/PREFIX dev TUN nodad": no duplicate detection, so the address is usable at once. */
static int add_address(const struct helper_config *cfg, int index)
{
	struct netlink_request request;

	memset(&request, 0, sizeof(request));
	request.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	request.header.nlmsg_type = RTM_NEWADDR;
	request.header.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	request.body.address.ifa_family = AF_INET6;
	request.body.address.ifa_prefixlen = (unsigned char)cfg->prefix_length6;
	request.body.address.ifa_flags = IFA_F_NODAD;
	request.body.address.ifa_scope = RT_SCOPE_UNIVERSE;
	request.body.address.ifa_index = (unsigned int)index;
	netlink_add_attribute(&request, IFA_LOCAL, &cfg->address6, sizeof(cfg->address6));
	netlink_add_attribute(&request, IFA_ADDRESS, &cfg->address6, sizeof(cfg->address6));
	return netlink_call(&request);
}

/* "ip -6 route add default via GATEWAY dev TUN". */
static int add_default_route(const struct helper_config *cfg, int index)
{
	struct netlink_request request;

	memset(&request, 0, sizeof(request));
	request.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	request.header.nlmsg_type = RTM_NEWROUTE;
	request.header.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	request.body.route.rtm_family = AF_INET6;
	request.body.route.rtm_table = RT_TABLE_MAIN;
	request.body.route.rtm_protocol = RTPROT_BOOT;
	request.body.route.rtm_scope = RT_SCOPE_UNIVERSE;
	request.body.route.rtm_type = RTN_UNICAST;
	netlink_add_attribute(&request, RTA_GATEWAY, &cfg->gateway6, sizeof(cfg->gateway6));
	netlink_add_attribute(&request, RTA_OIF, &index, sizeof(index));
	return netlink_call(&request);
}

/* Writes a value to /proc/sys/net/ipv6/conf/TUN/NAME; returns 0 or a positive errno. */
static int set_tun_conf(const struct helper_config *cfg, const char *name, const char *value)
{
	char path[128];
	int fd;
	ssize_t length = (ssize_t)strlen(value);
	int error = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", cfg->tun_name, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, value, (size_t)length) != length)
		error = errno;
	close(fd);
	return error;
}

/**
 * Before the link goes up: no router solicitations, no autoconfiguration, and IPv6 on only if it is
 * configured. Returns whether IPv6 stays on, so netconf6_configure knows whether to go on.
 */
int netconf6_prepare(const struct helper_config *cfg)
{
	int error;

	if (!cfg->have_ipv6) {
		/* Otherwise the kernel sends router solicitations into the TUN device. */
		set_tun_conf(cfg, "disable_ipv6", "1");
		return 0;
	}
	if ((error = set_tun_conf(cfg, "accept_ra", "0")) || (error = set_tun_conf(cfg, "autoconf", "0")) ||
	    (error = set_tun_conf(cfg, "disable_ipv6", "0"))) {
		note("IPv6 cannot be configured on %s (%s), using IPv4 only", cfg->tun_name, strerror(error));
		return 0;
	}
	return 1;
}

/** After the link is up: the address and the default route; on failure IPv6 is switched off again. */
void netconf6_configure(const struct helper_config *cfg)
{
	char address[INET6_ADDRSTRLEN];
	int index = (int)if_nametoindex(cfg->tun_name);
	int error;

	inet_ntop(AF_INET6, &cfg->address6, address, sizeof(address));
	if (index == 0)
		error = errno;
	else if (!(error = add_address(cfg, index)))
		error = add_default_route(cfg, index);
	if (error) {
		note("IPv6 address %s/%d or its route refused (%s), using IPv4 only", address, cfg->prefix_length6,
		     strerror(error));
		set_tun_conf(cfg, "disable_ipv6", "1");
		return;
	}
	note("%s has %s/%d", cfg->tun_name, address, cfg->prefix_length6);
}
