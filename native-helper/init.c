/*
 * init.c - the command's own PID namespace, so that nothing the command starts outlives httptap.
 *
 * Why: the command used to be the helper's own process, tied to httptap with PR_SET_PDEATHSIG. When httptap
 * was killed with SIGKILL (no chance to clean up) the command died, but what it had started in the
 * background lived on, without a network. A process can leave any process group or session (setsid), and a
 * subreaper would need httptap alive to act; the PID namespace is the kernel's own guarantee: when its
 * first process (its init, PID 1) ends, the kernel SIGKILLs every other process in it, and none can leave.
 *
 * The processes, each tied to its parent's life with PR_SET_PDEATHSIG (SIGKILL):
 *
 *   httptap (a JVM thread, or the lead) -> helper -> init (PID 1 of the new namespace) -> command (PID 2)
 *
 * PR_SET_PDEATHSIG fires when the parent *thread* ends. The helper's parent is the JVM thread that spawned
 * it and stays in waitpid until the helper has ended (ChildProcess.java), or the single-threaded lead
 * (lead.c); the init's parent is the single-threaded helper. So each fires exactly when httptap dies.
 *
 * The helper stays outside the namespace (unshare(CLONE_NEWPID) moves only the children to come), so it
 * keeps the pid that httptap waits for and signals: it passes signals on to the init and exits with the
 * init's exit code. The init mounts a /proc of the namespace (so that ps, /proc/self and $$ agree), forks
 * the command, passes signals on to it (signals.c), reaps every orphan of the namespace, and exits with the
 * command's exit code when the command ends; that ends the namespace, so background jobs end with the
 * command, as with `docker run` or `unshare --pid --fork`. A command killed by signal N gives 128+N: an
 * init cannot kill itself with a signal, and httptap reports both the same way (WaitStatus.java, lead.c).
 * Why neither of the others is the init: a process cannot move itself into a PID namespace (so not the
 * helper), and an init gets no signal it has no handler for and must reap orphans (so not the command).
 * Why the init, not the helper, forks the command: the command's parent is then in its namespace (pid 1),
 * as httptap was visible before; a parent outside shows as pid 0, and kill(getppid(), ...) would signal
 * the command's whole process group. Cost, measured outside httptap: the namespace, the init and the /proc
 * mount add 0.4 ms to a command's start and end (fastest of 300 runs; the median +0.7 to +1.6 ms on the
 * shared two cores). Whole `httptap -- true` runs (early start, 100 to 150 alternating runs at a load of 9 to
 * 13 on two cores, the new processes waiting for a core beside the booting JVM) took +2 to +10 ms in the
 * median; with the helper forking both, -4 to +2 ms: the parent pid above was judged worth that noise.
 *
 * With --keep-leftovers (httptap --no-exit) what the command leaves behind lives on after it: the init
 * sends the command's exit code to the helper over their link and lets go of it; the helper exits with that
 * code, which tells httptap; the init lives on until httptap closes the control socket (or dies, which
 * closes it) or the last process of the namespace has ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

/**
 * Creates the command's PID namespace before the hand-off, so that a refusal is reported like any other
 * failure. Nothing is forked between this and launch_command(): the first child becomes the init.
 */
void pid_namespace_enter(void)
{
	if (unshare(CLONE_NEWPID) < 0)
		die_errno(errno == EPERM ? userns_restriction_hint() : NULL, "cannot create a PID namespace (unshare)");
}

/* Whether the other end of a socket is closed (the process holding it is gone). */
static int hung_up(int fd)
{
	struct pollfd peer = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&peer, 1, 0) > 0 && (peer.revents & (POLLHUP | POLLRDHUP));
}

/*
 * Replaces the host's /proc in the private mount namespace: it shows the namespace's processes only, and its
 * /proc/self is the reader's. Without it the command would see the host's processes under pids it cannot
 * signal. A refusal (a container that hides parts of its /proc) leaves the host's, as before.
 */
static void mount_proc(void)
{
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		note("/proc stays the host's: cannot mount one for the command's PID namespace: %s", strerror(errno));
}

/*
 * Starts the namespace's pids at a random number: otherwise every command would be pid 2, and files named
 * after a pid in places shared with the host collide between concurrent runs. A JVM keeps its performance
 * data in /tmp/hsperfdata_USER/PID: a second wrapped JVM found that file locked by the first and printed a
 * warning on its standard output. Picked from the upper half of the pid range, which the host's own
 * processes reach only after they wrapped around, so a collision with them is as unlikely as with another
 * run's. Needs CAP_SYS_ADMIN over the namespace, which the init has in its user namespace; without it the
 * pids start at 2, as before.
 */
static void start_pids_at_random(void)
{
	unsigned int random;
	long pid_max = 32768;
	char text[32];
	FILE *file = fopen("/proc/sys/kernel/pid_max", "r");

	if (file) {
		if (fscanf(file, "%ld", &pid_max) != 1)
			pid_max = 32768;
		fclose(file);
	}
	if (pid_max < 4096 || getrandom(&random, sizeof random, GRND_NONBLOCK) != sizeof random)
		return;
	long span = pid_max / 2 - 1024; /* the last 1024 pids stay free for the command's children */
	int length = snprintf(text, sizeof text, "%ld", pid_max / 2 + (long)(random % (unsigned long)span));
	int last_pid = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);

	if (last_pid < 0)
		return;
	if (write(last_pid, text, (size_t)length) != length)
		note("the command's pid is 2: cannot set the namespace's last pid: %s", strerror(errno));
	close(last_pid);
}

/* --keep-leftovers: tells the helper the command's exit code and unties the init from it, to outlive it. */
static void release_helper(int link, int code)
{
	unsigned char byte = (unsigned char)code;

	if (prctl(PR_SET_PDEATHSIG, 0) < 0 || write(link, &byte, 1) != 1)
		exit(code); /* the helper is gone: nobody to keep the leftovers for */
	close(link);
}

/* PID 1 of the namespace: runs the command, passes signals on, reaps; ends when the command ends. */
static void __attribute__((noreturn)) run_init(const struct helper_config *cfg, int signals, int link)
{
	int command_ended = 0;
	pid_t command;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die_errno(NULL, "cannot tie the namespace's life to httptap's (PR_SET_PDEATHSIG)");
	if (hung_up(link))
		exit(EXIT_FAILURE); /* the helper died just before PR_SET_PDEATHSIG: nobody to run it for */
	mount_proc();
	start_pids_at_random();

	command = fork();
	if (command < 0)
		die_errno(NULL, "cannot fork the command");
	if (command == 0)
		exec_command(cfg);

	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = signals, .events = POLLIN },
			/* After the command, with --keep-leftovers: httptap's end of the control socket. */
			{ .fd = command_ended ? CONTROL_FD : -1, .events = POLLIN },
		};
		int status;
		pid_t pid;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			die_errno(NULL, "poll");
		if (fds[1].revents)
			exit(EXIT_SUCCESS); /* httptap has finished: so has the namespace */
		if (fds[0].revents) {
			int sig = signals_next(signals);

			if (sig && !command_ended)
				kill(command, sig);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid != command)
				continue; /* an orphan, reaped so that no zombie piles up */
			if (!cfg->keep_leftovers)
				exit(shell_code(status));
			release_helper(link, shell_code(status));
			command_ended = 1;
		}
		if (pid < 0 && errno == ECHILD && command_ended)
			exit(EXIT_SUCCESS); /* the last leftover has ended */
	}
}

/* The helper, outside the namespace: passes signals on to the init and exits with its code. */
static void __attribute__((noreturn)) relay_to_init(pid_t init, int signals, int link)
{
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = signals, .events = POLLIN },
			{ .fd = link, .events = POLLIN },
		};
		unsigned char code;
		int status;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			die_errno(NULL, "poll");
		if (fds[1].revents) {
			if (read(link, &code, 1) == 1)
				exit(code); /* --keep-leftovers: the command has ended, its leftovers live on */
			close(link); /* the init is ending; its exit is reaped below */
			link = -1;
		}
		if (fds[0].revents) {
			int sig = signals_next(signals);

			if (sig)
				kill(init, sig);
		}
		if (waitpid(init, &status, WNOHANG) == init)
			exit(shell_code(status));
	}
}

/**
 * Starts the command in the PID namespace that pid_namespace_enter() made, under an init, and stays
 * between httptap and it; never returns. parent: httptap's pid, seen when the helper started.
 */
void launch_command(const struct helper_config *cfg, pid_t parent)
{
	int link[2];
	int signals;
	pid_t init;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die_errno(NULL, "cannot tie the command's life to httptap's (PR_SET_PDEATHSIG)");
	if (getppid() != parent)
		exit(EXIT_FAILURE); /* httptap died just before PR_SET_PDEATHSIG: nobody to run it for */
	/* The init would keep them: the helper's TUN and namespace descriptors (httptap holds its own; what the
	 * helper inherited went at its start), and the control socket too, unless the init is to watch it for
	 * httptap's end. */
	if (close_range(cfg->keep_leftovers ? CONTROL_FD + 1 : CONTROL_FD, ~0U, 0) < 0)
		die_errno(NULL, "cannot close inherited descriptors (close_range)");
	signals = signals_take();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, link) < 0)
		die_errno(NULL, "cannot create the link to the namespace's init (socketpair)");

	init = fork();
	if (init < 0)
		die_errno(NULL, "cannot fork the namespace's init");
	if (init == 0) {
		close(link[0]);
		run_init(cfg, signals, link[1]);
	}
	close(link[1]);
	relay_to_init(init, signals, link[0]);
}
