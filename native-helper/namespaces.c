/*
 * namespaces.c - the private user, network and mount namespaces the command runs in.
 *
 * An ordinary user gets a user namespace in which it keeps its own uid and gid (mapped to themselves) but
 * holds every capability until exec: enough to create the TUN device, configure the network and bind
 * mount. Root maps every id it has (the whole range for real root) to itself, through a forked mapper
 * (see below), so that --user can switch to any account later.
 * --uid N and --gid N replace a map with the one line "N <caller's id> 1", for root as for anyone: the
 * command sees N inside and is the caller outside (--uid 0 makes it root of its namespaces, as the original
 * always does).
 * With --no-userns (real root only) no user namespace is made at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

/* Writes text to a /proc file in one write(2), as the id-map files require. */
static void write_proc_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t length = (ssize_t)strlen(text);

	if (fd < 0)
		die_errno(NULL, "open %s", path);
	if (write(fd, text, (size_t)length) != length)
		die_errno(errno == EPERM ? userns_restriction_hint() : NULL, "write '%s' to %s", text, path);
	close(fd);
}

/* The one-line map giving the caller's id outside to inside (--uid/--gid), or to itself when inside is -1. */
static void single_map(char *map, size_t size, long long inside, unsigned outside)
{
	snprintf(map, size, "%llu %u 1", inside < 0 ? (unsigned long long)outside : (unsigned long long)inside, outside);
}

/* Maps the caller's own uid and gid, to themselves or to --uid/--gid: all an unprivileged user may map. */
static void map_own_ids(const struct helper_config *cfg, uid_t uid, gid_t gid)
{
	char map[64];

	/* An unprivileged gid_map is only accepted once setgroups() is denied for good. */
	write_proc_file("/proc/self/setgroups", "deny");
	single_map(map, sizeof(map), cfg->inside_uid, (unsigned)uid);
	write_proc_file("/proc/self/uid_map", map);
	single_map(map, sizeof(map), cfg->inside_gid, (unsigned)gid);
	write_proc_file("/proc/self/gid_map", map);
}

/*
 * Builds a map that gives every id existing in the caller's namespace to itself: "0 0 4294967295" for
 * real root, fewer ids for a root that is itself inside a user namespace (a rootless container).
 */
static void identity_map(const char *own_map_path, char *map, size_t size)
{
	FILE *own = fopen(own_map_path, "re");
	unsigned long first, lower, count;
	size_t used = 0;

	if (!own)
		die_errno(NULL, "open %s", own_map_path);
	map[0] = '\0';
	while (fscanf(own, "%lu %lu %lu", &first, &lower, &count) == 3 && used < size)
		used += (size_t)snprintf(map + used, size - used, "%lu %lu %lu\n", first, first, count);
	fclose(own);
	if (used == 0 || used >= size)
		die("cannot read the id ranges of %s", own_map_path);
}

/*
 * A full-range map must be written by a process that holds CAP_SETUID in the *parent* namespace, which the
 * helper no longer does once it has unshared. So root forks a mapper first: it waits on a pipe until the
 * helper has unshared, writes the helper's maps from outside, and exits. A mapper that fails reports
 * over the control socket itself (report.c), so the helper then only has to exit.
 */
struct id_mapper {
	pid_t pid;
	int go_fd;
};

/* The helper's map of one kind: --uid/--gid's single line when given, else every id root has. */
static void root_map(const char *own_map_path, long long inside, char *map, size_t size)
{
	if (inside < 0)
		identity_map(own_map_path, map, size);
	else
		single_map(map, size, inside, 0);
}

/* Forks the mapper, which waits for the helper's signal. */
static struct id_mapper start_id_mapper(const struct helper_config *cfg)
{
	struct id_mapper mapper;
	pid_t helper = getpid();
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		die_errno(NULL, "cannot create a pipe for the id mapper");
	mapper.pid = fork();
	if (mapper.pid < 0)
		die_errno(NULL, "cannot fork the id mapper");
	if (mapper.pid == 0) {
		char path[64];
		char map[8192]; /* the kernel allows at most 340 ranges of ~33 bytes */
		char go;

		close(fds[1]);
		if (read(fds[0], &go, 1) != 1)
			_exit(0); /* the helper failed to unshare and has reported it */
		/* Root keeps setgroups() (no "deny"), which --user needs. */
		root_map("/proc/self/uid_map", cfg->inside_uid, map, sizeof(map));
		snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)helper);
		write_proc_file(path, map);
		root_map("/proc/self/gid_map", cfg->inside_gid, map, sizeof(map));
		snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)helper);
		write_proc_file(path, map);
		_exit(0);
	}
	close(fds[0]);
	mapper.go_fd = fds[1];
	return mapper;
}

/* Lets the mapper write the maps and waits for it. */
static void finish_id_mapper(struct id_mapper mapper)
{
	int status;

	if (write(mapper.go_fd, "g", 1) != 1)
		die_errno(NULL, "cannot signal the id mapper");
	close(mapper.go_fd);
	if (waitpid(mapper.pid, &status, 0) < 0)
		die_errno(NULL, "cannot wait for the id mapper");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		exit(EXIT_FAILURE); /* it has already reported why */
}

/* The fix for a refused unshare(CLONE_NEWUSER), by errno. */
static const char *unshare_hint(int error)
{
	if (error == ENOSPC)
		return "the limit of user namespaces is 0 or reached: raise it with "
		       "'sudo sysctl user.max_user_namespaces=15000'";
	if (error == EPERM || error == EINVAL)
		return userns_restriction_hint();
	return NULL;
}

/**
 * Moves the helper into new namespaces. Returns 1 when every id is mapped (real root), 0 when only the
 * caller's own uid and gid exist inside.
 */
int namespaces_enter(const struct helper_config *cfg)
{
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (!cfg->new_user_namespace) {
		if (geteuid() != 0)
			die("--no-new-user-namespace needs root: without a user namespace only root may create network "
			    "namespaces; drop --no-new-user-namespace to run as an ordinary user");
		if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
			die_errno(NULL, "unshare (network and mount namespaces)");
		return 1;
	}

	if (uid == 0) {
		struct id_mapper mapper = start_id_mapper(cfg);

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) < 0)
			die_errno(unshare_hint(errno), "cannot create a user namespace (unshare)");
		finish_id_mapper(mapper);
		note("namespaces created; inside, uid %u and gid %u (every id maps to itself unless --uid/--gid)",
		     (unsigned)getuid(), (unsigned)getgid());
		return 1;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) < 0)
		die_errno(unshare_hint(errno), "cannot create a user namespace (unshare)");
	map_own_ids(cfg, uid, gid);
	note("namespaces created; uid %u and gid %u are %u and %u inside", (unsigned)uid, (unsigned)gid,
	     (unsigned)getuid(), (unsigned)getgid());
	return 0;
}
