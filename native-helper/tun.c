/*
 * tun.c - the TUN device every packet of the command goes through.
 *
 * IFF_TUN gives whole IP packets; IFF_NO_PI drops the 4-byte packet-information prefix. IFF_VNET_HDR puts
 * a 10-byte struct virtio_net_hdr before each packet, both ways: through it httptap hands the kernel TCP
 * segments whose checksum is left for the kernel (NEEDS_CSUM), which it then need not compute nor the
 * kernel verify. The one offload turned on (TUNSETOFFLOAD) is the checksum's, the other way: the command's
 * own TCP and UDP packets then come with theirs left undone and marked NEEDS_CSUM, so that neither the
 * kernel nor httptap sums their payload (bytes that never left this machine's memory). No segmentation
 * offload: each packet is still one packet of at most the MTU.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "helper.h"

/** Creates the TUN interface called name and returns its descriptor (close-on-exec). */
int tun_create(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
			die_errno("load the tun kernel module ('sudo modprobe tun') or, in a container, pass the "
				  "device in (e.g. docker run --device /dev/net/tun)", "cannot open /dev/net/tun");
		if (errno == EACCES || errno == EPERM)
			die_errno("/dev/net/tun must be readable and writable by your user, as on most "
				  "distributions (mode 0666: 'sudo chmod 0666 /dev/net/tun')",
				  "cannot open /dev/net/tun");
		die_errno(NULL, "cannot open /dev/net/tun");
	}

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die_errno(errno == EPERM ? userns_restriction_hint() : NULL, "cannot create TUN device %s (TUNSETIFF)",
			  name);
	/*
	 * Persistent, so that httptap's closing of the last descriptor does not unregister the device on the
	 * spot, which waits out network RCU grace periods (~20 ms added to every run's exit). The device goes
	 * with its network namespace instead, torn down by a kernel worker once the command and anything it
	 * left behind are gone. Optional: without it httptap only exits later.
	 */
	if (ioctl(fd, TUNSETPERSIST, 1) < 0)
		note("TUN device %s stays non-persistent (TUNSETPERSIST: %s)", name, strerror(errno));
	/* Optional: without it the kernel sums every packet before handing it over, and httptap checks it. */
	if (ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM) < 0)
		note("TUN device %s sums its packets itself (TUNSETOFFLOAD: %s)", name, strerror(errno));
	note("created TUN device %s", name);
	return fd;
}
