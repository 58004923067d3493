/*
 * mounts.c - the command's private view of files (e.g. a resolv.conf or CA bundle of httptap's).
 *
 * The new mount namespace starts as a copy of the caller's. Propagation is made private first, so that
 * nothing mounted here leaks back to the host, then each --bind SRC:DST is applied in order.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "helper.h"

/** Stops mount events from propagating between this namespace and the host. */
void mounts_make_private(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno(errno == EPERM ? userns_restriction_hint() : NULL,
			  "cannot make mounts private (mount --make-rprivate /)");
}

/*
 * Bind mounts one "SRC:DST". A DST that does not exist is skipped (the command cannot be reading it);
 * a DST that is a symlink is replaced where it points, because mounting over a symlink is not possible.
 */
static void bind_one(char *spec)
{
	char *colon = strchr(spec, ':');
	char target[PATH_MAX];
	const char *source;

	if (!colon || colon == spec || colon[1] == '\0')
		die("bad --bind '%s': expected SOURCE:TARGET", spec);
	*colon = '\0';
	source = spec;
	if (!realpath(colon + 1, target)) {
		if (errno != ENOENT)
			die_errno(NULL, "cannot resolve bind mount target %s", colon + 1);
		note("not mounting %s on %s: the target does not exist", source, colon + 1);
		return;
	}
	if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		die_errno(NULL, "cannot bind mount %s on %s", source, target);
	note("mounted %s on %s", source, target);
}

/** Applies every --bind of the command line. */
void mounts_bind(const struct helper_config *cfg)
{
	for (int i = 0; i < cfg->bind_count; i++)
		bind_one(cfg->binds[i]);
}
