/*
 * signals.c - the signals httptap passes on to its command, the same in every process that passes them:
 * the lead (lead.c), and the helper and the PID namespace's init between httptap and the command (init.c).
 *
 * Each of them blocks these signals and reads them from a signalfd, so that none is lost or acted on by
 * default (ending the process) while it is being passed on. A blocked signal reaches a namespace's init
 * too, which the kernel would otherwise spare every signal it has no handler for.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

/* What httptap's JVM passes on (SignalForwarding.java), and SIGQUIT, which the JVM keeps for thread dumps. */
static const int FORWARDED[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM };

/**
 * Blocks the forwarded signals and SIGCHLD and returns a signalfd that reads them (close-on-exec). Forked
 * children inherit the mask: the command's process unblocks everything before exec (launch.c).
 */
int signals_take(void)
{
	sigset_t handled;
	int fd;

	sigemptyset(&handled);
	sigaddset(&handled, SIGCHLD);
	for (size_t i = 0; i < sizeof(FORWARDED) / sizeof(FORWARDED[0]); i++)
		sigaddset(&handled, FORWARDED[i]);
	if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0 || (fd = signalfd(-1, &handled, SFD_CLOEXEC)) < 0) {
		fprintf(stderr, "httptap: cannot take signals: %s\n", strerror(errno));
		exit(EXIT_FAILURE);
	}
	return fd;
}

/**
 * Reads the next signal from signals_take()'s descriptor. Returns the signal to pass on, or 0 for SIGCHLD
 * (time to reap) and for one the kernel sent: the terminal sends Ctrl-C, Ctrl-\ and its hang-up to its whole
 * foreground process group, which the command shares, so the command has had its own copy.
 */
int signals_next(int signals)
{
	struct signalfd_siginfo info;

	if (read(signals, &info, sizeof(info)) != sizeof(info))
		return 0;
	if ((int)info.ssi_signo == SIGCHLD || info.ssi_code == SI_KERNEL)
		return 0;
	return (int)info.ssi_signo;
}

/** The exit code a shell shows for a wait status: the code, or 128+N for death by signal N. */
int shell_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
