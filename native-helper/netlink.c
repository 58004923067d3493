/*
 * netlink.c - one rtnetlink request at a time, for what the network ioctls cannot do (IPv6 addresses and
 * routes, and a TUN queue length inside a user namespace, where SIOCSIFTXQLEN is refused).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper.h"

/* Appends one attribute; the buffer is sized for the two 16-byte addresses and an index used here. */
void netlink_add_attribute(struct netlink_request *request, unsigned short type, const void *data, size_t length)
{
	struct rtattr *attribute = (struct rtattr *)((char *)request + NLMSG_ALIGN(request->header.nlmsg_len));

	attribute->rta_type = type;
	attribute->rta_len = (unsigned short)RTA_LENGTH(length);
	memcpy(RTA_DATA(attribute), data, length);
	request->header.nlmsg_len = NLMSG_ALIGN(request->header.nlmsg_len) + RTA_ALIGN(attribute->rta_len);
}

/* Sends a request and reads the kernel's acknowledgement; returns 0 or a positive errno. */
int netlink_call(struct netlink_request *request)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char reply[512];
	ssize_t length;
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int error = 0;

	if (sock < 0)
		return errno;
	request->header.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	request->header.nlmsg_seq = 1;
	if (sendto(sock, request, request->header.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		error = errno;
	} else if ((length = recv(sock, reply, sizeof(reply), 0)) < 0) {
		error = errno;
	} else {
		struct nlmsghdr *answer = (struct nlmsghdr *)reply;

		if (!NLMSG_OK(answer, (unsigned int)length) || answer->nlmsg_type != NLMSG_ERROR)
			error = EPROTO;
		else
			error = -((struct nlmsgerr *)NLMSG_DATA(answer))->error;
	}
	close(sock);
	return error;
}
