/*
 * handoff.c - the conversation with Java over the control socket (fd 3).
 *
 * Protocol, one direction at a time:
 *   helper -> Java: one byte 'T' carrying the TUN descriptor and the network namespace's in SCM_RIGHTS
 *                   (the namespace's keeps the device and its queue alive should the command end before
 *                   Java has read its last packets), or else the text of an error (no descriptor),
 *                   followed by the helper's exit.
 *   Java -> helper: one "go" byte once Java is ready to serve the TUN device; end-of-file instead means
 *                   httptap has gone away and the command must not run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper.h"

/**
 * Sends the TUN descriptor and the network namespace's to Java. Failing here is reported on stderr: the
 * socket is what broke.
 */
void handoff_send_fds(int tun_fd, int netns_fd)
{
	int fds[2] = { tun_fd, netns_fd };
	char tag = 'T';
	struct iovec iov = { .iov_base = &tag, .iov_len = 1 };
	union {
		struct cmsghdr header;
		char space[CMSG_SPACE(sizeof(fds))];
	} control;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.space,
		.msg_controllen = sizeof(control.space),
	};
	struct cmsghdr *cmsg;

	memset(&control, 0, sizeof(control));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cmsg), fds, sizeof(fds));

	if (sendmsg(CONTROL_FD, &msg, MSG_NOSIGNAL) != 1) {
		report_handed_off();
		die_errno(NULL, "cannot hand the TUN device to httptap (sendmsg)");
	}
}

/** Sends an error text to Java; if even that fails, the text goes to stderr so it is not lost. */
void handoff_send_error(const char *text)
{
	size_t length = strlen(text);
	size_t sent = 0;

	while (sent < length) {
		ssize_t n = send(CONTROL_FD, text + sent, length - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "httptap: %s\n", text);
			return;
		}
		sent += (size_t)n;
	}
}

/** Waits for Java's go byte. Returns 1 on go, 0 if Java closed the socket (or it failed). */
int handoff_wait_for_go(void)
{
	char go;
	ssize_t n;

	do
		n = read(CONTROL_FD, &go, 1);
	while (n < 0 && errno == EINTR);
	return n == 1;
}
