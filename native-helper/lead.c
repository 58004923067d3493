/*
 * lead.c - the launcher's fast start: the command runs at once, while the JVM boots beside it.
 *
 * The ./httptap launcher runs
 *
 *   httptap-helper --lead PLAN JAVA_ARGC JAVA_ARGV... HTTPTAP_ARGS...
 *
 * and this process (keeping httptap's pid) checks the plan a previous run left (plan.c) against the
 * arguments. On a miss it simply becomes the JVM, with HTTPTAP_EARLY_MISS saying why; the JVM starts the
 * command the usual way and writes a new plan. On a hit it forks two children and supervises them:
 *
 *   the sandbox (S): helper_run() in early mode, with the plan's options: namespaces, TUN device, the
 *       descriptors sent here, then exec of the command, without waiting. Its first packets (SYN, DNS)
 *       wait in the TUN queue until the JVM reads them, well inside TCP's first retransmission;
 *   the JVM (J): fd 3 is its control socket, HTTPTAP_EARLY_START="PID CA_DIR" tells it to adopt the
 *       command PID instead of starting one.
 *
 * Control socket protocol with J (dev.httptap.sandbox.ControlSocket): the lead forwards S's hand-off ('T'
 * with the TUN and namespace descriptors); J answers 'g' once it serves the device; the lead sends
 * "exit N\n" when the command has ended with code N, and J exits (with N, or 1 if it failed) once the
 * command's last connections are done. If the command ends before J is ready and left nothing in the TUN
 * queue, there is nothing to show: J is killed and the lead exits at once (`httptap -- true` never waits
 * for a JVM). Signals sent to httptap are passed on to the command, as the JVM does on the slow path;
 * J ignores the terminal's SIGINT, SIGTERM and SIGHUP and ends when told the command's exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

struct lead {
	pid_t sandbox;       /* becomes the command */
	pid_t jvm;
	int from_sandbox;    /* our end of the sandbox's control socket, -1 once done */
	const char *plan;    /* the plan's file */
	int to_jvm;          /* our end of the JVM's control socket, -1 once the JVM closed it */
	int signals;         /* signalfd */
	int tun;             /* our copy of the TUN descriptor, to see whether packets wait in its queue */
	int jvm_ready;
	int command_ended;
	int command_code;
	int sandbox_failed;  /* the helper reported an error instead of a TUN device */
	int must_finish;     /* the JVM has output to write even if the command sent nothing (plan.c) */
	char closed_fds[8];  /* standard descriptors closed when httptap started, e.g. "0,2" */
};

/* The jar in the JVM's arguments ("-jar PATH"), or "" when there is none (then no plan matches). */
static const char *jar_of(char **java_argv, int java_argc)
{
	for (int i = 0; i + 1 < java_argc; i++)
		if (strcmp(java_argv[i], "-jar") == 0)
			return java_argv[i + 1];
	return "";
}

static void __attribute__((noreturn)) lead_fail(const char *what)
{
	fprintf(stderr, "httptap: %s: %s\n", what, strerror(errno));
	exit(EXIT_FAILURE);
}

/*
 * Gives closed standard descriptors a /dev/null, so that nothing else (the JVM's jar) lands there, and
 * notes them: the command gets them closed, as httptap got them.
 */
static void hold_closed_standard_fds(struct lead *lead)
{
	char *out = lead->closed_fds;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			lead_fail("cannot hold a closed standard descriptor");
		out += sprintf(out, "%s%d", out == lead->closed_fds ? "" : ",", fd);
	}
}

/* Execs the JVM with httptap's arguments; java_argv ends before args. */
/* A real-time signal nothing else here uses (glibc keeps 32 and 33 for itself). */
#define JVM_SUSPEND_SIGNAL "40"

static void __attribute__((noreturn)) exec_jvm(char **java_argv, int java_argc, char **args)
{
	int arg_count = 0;

	while (args[arg_count])
		arg_count++;
	char **argv = calloc((size_t)(java_argc + arg_count + 1), sizeof(char *));
	if (!argv)
		lead_fail("out of memory");
	memcpy(argv, java_argv, sizeof(char *) * (size_t)java_argc);
	memcpy(argv + java_argc, args, sizeof(char *) * (size_t)arg_count);
	/* HotSpot suspends threads with SIGUSR2 unless told another signal: a user's `kill -USR2` then
	 * crashed the JVM (hs_err file) instead of reaching the command. The JVM removes both variables
	 * from the command's environment (LeadEnvironment); a value the user set is left alone. */
	if (!getenv("_JAVA_SR_SIGNUM")) {
		setenv("_JAVA_SR_SIGNUM", JVM_SUSPEND_SIGNAL, 1);
		setenv("HTTPTAP_SR_SIGNUM", JVM_SUSPEND_SIGNAL, 1);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "httptap: cannot run %s: %s\n", argv[0], strerror(errno));
	exit(EXIT_FAILURE);
}

/* The sandbox child: the helper's usual work with the plan's options, then the command. */
static void __attribute__((noreturn)) run_sandbox(const struct lead *lead, const struct plan *plan, int control)
{
	static char fd_names[3][2] = { "0", "1", "2" };
	int command_length = 0;
	int argc = 0;

	if (dup2(control, CONTROL_FD) != CONTROL_FD)
		lead_fail("cannot pass the control socket");
	for (int i = 0; i < plan->environment_count; i++)
		putenv(plan->environment[i]);
	while (plan->command[command_length])
		command_length++;
	char **argv = calloc((size_t)(plan->helper_arg_count + 8 + command_length), sizeof(char *));
	if (!argv)
		lead_fail("out of memory");
	argv[argc++] = "httptap-helper";
	for (int i = 0; i < plan->helper_arg_count; i++)
		argv[argc++] = plan->helper_args[i];
	for (const char *fd = lead->closed_fds; *fd; fd++) {
		if (*fd >= '0' && *fd <= '2') {
			argv[argc++] = "--close-fd";
			argv[argc++] = fd_names[*fd - '0'];
		}
	}
	argv[argc++] = "--";
	for (int i = 0; i < command_length; i++)
		argv[argc++] = plan->command[i];
	helper_run(argc, argv, 1);
}

/* The JVM child: fd 3 is its control socket; it dies with the lead. */
static void __attribute__((noreturn)) run_jvm(const struct lead *lead, const struct plan *plan, int control,
					      char **java_argv, int java_argc, char **args)
{
	char early[4096];
	sigset_t none;

	if (dup2(control, CONTROL_FD) != CONTROL_FD)
		lead_fail("cannot pass the control socket");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		lead_fail("cannot tie the JVM's life to httptap's");
	snprintf(early, sizeof(early), "%d %s", (int)lead->sandbox, plan->ca_dir);
	setenv("HTTPTAP_EARLY_START", early, 1);
	/* The lead forwards these to the command, and the JVM ends when the command has. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	exec_jvm(java_argv, java_argc, args);
}

/* Forks, with a new socketpair: returns fork()'s result, our end in *ours and the child's in *theirs. */
static pid_t fork_with_socket(int *ours, int *theirs)
{
	int pair[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
		lead_fail("cannot create a control socket");
	pid = fork();
	if (pid < 0)
		lead_fail("cannot fork");
	*ours = pair[0];
	*theirs = pair[1];
	if (pid == 0)
		close(pair[0]);
	else
		close(pair[1]);
	return pid;
}

/* Receives the sandbox's hand-off and passes it on to the JVM; an error text is printed, and ends the run. */
static void relay_hand_off(struct lead *lead)
{
	char data[4096];
	union {
		struct cmsghdr header;
		char space[CMSG_SPACE(2 * sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
			      .msg_controllen = sizeof(control.space) };
	ssize_t n;

	do
		n = recvmsg(lead->from_sandbox, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	struct cmsghdr *cmsg = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cmsg && cmsg->cmsg_type == SCM_RIGHTS && cmsg->cmsg_len == CMSG_LEN(2 * sizeof(int))) {
		memcpy(&lead->tun, CMSG_DATA(cmsg), sizeof(int));
		msg.msg_iov->iov_len = (size_t)n;
		msg.msg_controllen = cmsg->cmsg_len;
		if (sendmsg(lead->to_jvm, &msg, MSG_NOSIGNAL) != n)
			note("the JVM went away before the hand-off");
	} else {
		/* The helper's error text (or nothing at all if it died): the sandbox could not be made. */
		data[n > 0 ? n : 0] = '\0';
		if (n > 0)
			fprintf(stderr, "httptap: %s\n", data);
		else
			fprintf(stderr, "httptap: the namespace helper exited without setting up the sandbox\n");
		/* Not tried again: the next run takes the slow path, which makes the plan anew (or fails alike). */
		unlink(lead->plan);
		kill(lead->jvm, SIGKILL);
		lead->sandbox_failed = 1;
	}
	close(lead->from_sandbox);
	lead->from_sandbox = -1;
}

/* Whether packets the command sent still wait in the TUN queue for the JVM. */
static int tun_queue_holds_packets(const struct lead *lead)
{
	struct pollfd tun = { .fd = lead->tun, .events = POLLIN };

	return lead->tun >= 0 && poll(&tun, 1, 0) > 0 && (tun.revents & POLLIN);
}

static void tell_jvm_exit_code(struct lead *lead)
{
	char line[32];
	int length = snprintf(line, sizeof(line), "exit %d\n", lead->command_code);

	if (lead->to_jvm >= 0 && send(lead->to_jvm, line, (size_t)length, MSG_NOSIGNAL) != length)
		note("could not tell the JVM that the command ended");
}

/* Reaps whichever children ended; exits when the run is over. */
static void reap(struct lead *lead)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == lead->sandbox) {
			if (lead->from_sandbox >= 0)
				relay_hand_off(lead); /* sent before it ended: pass it on first */
			if (lead->sandbox_failed)
				exit(EXIT_FAILURE); /* as the slow path exits when the sandbox cannot be made */
			lead->command_ended = 1;
			lead->command_code = shell_code(status);
			if (lead->jvm_ready) {
				tell_jvm_exit_code(lead);
			} else if (!lead->must_finish && !tun_queue_holds_packets(lead)) {
				/* Nothing sent, nothing to show: no need to wait for the JVM. */
				kill(lead->jvm, SIGKILL);
				exit(lead->command_code);
			}
		} else if (pid == lead->jvm) {
			if (lead->sandbox_failed)
				exit(EXIT_FAILURE);
			if (!lead->command_ended) {
				kill(lead->sandbox, SIGKILL);
				waitpid(lead->sandbox, NULL, 0);
			}
			exit(shell_code(status));
		}
	}
}

/* Reads what the JVM says: 'g' once it serves the device; end-of-file when it has closed the socket. */
static void read_jvm(struct lead *lead)
{
	char byte;
	ssize_t n = read(lead->to_jvm, &byte, 1);

	if (n == 1 && byte == 'g') {
		lead->jvm_ready = 1;
		if (lead->command_ended)
			tell_jvm_exit_code(lead);
	} else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		close(lead->to_jvm);
		lead->to_jvm = -1; /* the JVM is ending; its exit is reaped */
	}
}

/* Passes a signal sent to httptap on to the command (signals.c says which). */
static void forward_signal(const struct lead *lead)
{
	int sig = signals_next(lead->signals);

	if (sig && !lead->command_ended)
		kill(lead->sandbox, sig);
}

static void supervise(struct lead *lead) __attribute__((noreturn));
static void supervise(struct lead *lead)
{
	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = lead->signals, .events = POLLIN },
			{ .fd = lead->from_sandbox, .events = POLLIN },
			{ .fd = lead->to_jvm, .events = POLLIN },
		};
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			lead_fail("poll");
		}
		if (fds[1].revents)
			relay_hand_off(lead);
		if (fds[2].revents)
			read_jvm(lead);
		if (fds[0].revents)
			forward_signal(lead);
		reap(lead);
	}
}

int lead_main(int argc, char **argv)
{
	struct lead lead = { .from_sandbox = -1, .to_jvm = -1, .tun = -1 };
	struct plan plan;
	int sandbox_end, jvm_end;

	if (argc < 5 || atoi(argv[3]) < 1 || atoi(argv[3]) > argc - 4) {
		fprintf(stderr, "httptap-helper: --lead PLAN JAVA_ARGC JAVA_ARGV... ARGS... is for the httptap launcher\n");
		exit(2);
	}
	const char *plan_path = argv[2];
	int java_argc = atoi(argv[3]);
	char **java_argv = argv + 4;
	char **args = argv + 4 + java_argc;

	hold_closed_standard_fds(&lead);
	const char *miss = plan_load(plan_path, jar_of(java_argv, java_argc), args, &plan);
	if (miss) {
		char self[4096];
		ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
		setenv("HTTPTAP_EARLY_MISS", miss, 1);
		setenv("HTTPTAP_CLOSED_FDS", lead.closed_fds, 1);
		if (length > 0) {
			self[length] = '\0';
			setenv("HTTPTAP_HELPER", self, 1);
		}
		exec_jvm(java_argv, java_argc, args);
	}

	lead.must_finish = plan.must_finish;
	lead.plan = plan_path;
	/* Taken before the forks, so that no SIGCHLD or forwarded signal is lost; each child unblocks. */
	lead.signals = signals_take();

	lead.sandbox = fork_with_socket(&lead.from_sandbox, &sandbox_end);
	if (lead.sandbox == 0)
		run_sandbox(&lead, &plan, sandbox_end);
	close(sandbox_end);
	lead.jvm = fork_with_socket(&lead.to_jvm, &jvm_end);
	if (lead.jvm == 0)
		run_jvm(&lead, &plan, jvm_end, java_argv, java_argc, args);
	close(jvm_end);
	supervise(&lead);
}
