/*
 * launch.c - turning the command's process (forked by the namespace's init, init.c) into the command.
 *
 * Before exec it switches user if asked and undoes what it inherited from the JVM and the helper: blocked
 * signals and descriptors that were not close-on-exec. Signals ignored by whoever started httptap (nohup)
 * stay ignored, as a shell would leave them. It needs no tie to httptap's life: it ends with its namespace.
 */
#include <errno.h>
#include <grp.h>
#include <linux/close_range.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helper.h"

/* Exit codes a shell uses when a command cannot be run. */
#define EXIT_NOT_FOUND 127
#define EXIT_NOT_EXECUTABLE 126

/* Parses a decimal uid; returns 0 and leaves *uid alone if text is not a number. */
static int parse_uid(const char *text, uid_t *uid)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || *end != '\0' || value > (uid_t)-2)
		return 0;
	*uid = (uid_t)value;
	return 1;
}

/* Becomes the user named (or numbered) by spec, with that user's groups. */
static void switch_user(const char *spec)
{
	struct passwd *pw = getpwnam(spec);
	uid_t uid;
	gid_t gid;

	if (pw) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
		if (initgroups(pw->pw_name, gid) < 0)
			die_errno(NULL, "cannot set the groups of user %s (initgroups)", spec);
	} else if (parse_uid(spec, &uid)) {
		/* A uid without a passwd entry: its own number as group, no supplementary groups. */
		pw = getpwuid(uid);
		gid = pw ? pw->pw_gid : (gid_t)uid;
		if (pw ? initgroups(pw->pw_name, gid) < 0 : setgroups(0, NULL) < 0)
			die_errno(NULL, "cannot set the groups of uid %s", spec);
	} else {
		die("--user %s: no such user", spec);
	}
	if (setgid(gid) < 0)
		die_errno(NULL, "cannot switch to group %u (setgid)", (unsigned)gid);
	if (setuid(uid) < 0)
		die_errno(NULL, "cannot switch to user %s (setuid)", spec);
}

/* Unblocks every signal and resets caught ones to their default action, leaving SIG_IGN in place. */
static void reset_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		die_errno(NULL, "cannot reset the signal mask (sigprocmask)");
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction current;

		if (sigaction(sig, NULL, &current) < 0)
			continue; /* not a real signal number, or reserved by libc */
		if (current.sa_handler != SIG_IGN && current.sa_handler != SIG_DFL)
			signal(sig, SIG_DFL);
	}
}

/* Says why the command could not be exec'd, in a shell's words, and exits with a shell's code. */
static void __attribute__((noreturn)) report_exec_failure(const char *command, int error)
{
	struct stat st;
	int not_found = error == ENOENT || error == ENOTDIR;

	if (error == EACCES && strchr(command, '/') && stat(command, &st) == 0 && S_ISDIR(st.st_mode))
		fprintf(stderr, "httptap: %s: is a directory\n", command);
	else if (not_found && !strchr(command, '/'))
		fprintf(stderr, "httptap: %s: command not found\n", command);
	else
		fprintf(stderr, "httptap: %s: %s\n", command, strerror(error));
	exit(not_found ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
}

/**
 * Runs the command in place of this process; never returns. A command that cannot be exec'd is reported
 * like a shell does, with exit code 127 (not found) or 126 (found but not runnable).
 */
void exec_command(const struct helper_config *cfg)
{
	if (cfg->user)
		switch_user(cfg->user);

	reset_signals();
	if (close_range(CONTROL_FD, ~0U, 0) < 0)
		die_errno(NULL, "cannot close inherited descriptors (close_range)");
	/* httptap's own stdin, stdout or stderr was closed; it held /dev/null there, the command gets none. */
	for (int i = 0; i < cfg->closed_fd_count; i++)
		close(cfg->closed_fds[i]);

	execvp(cfg->command[0], cfg->command);
	report_exec_failure(cfg->command[0], errno);
}
