/*
 * report.c - how the helper tells the user what went wrong.
 *
 * Until the TUN descriptor has been handed to Java, a failure is sent over the control socket as one line
 * of text; Java shows it and exits, so the user sees exactly one clear line with its fix. After the
 * hand-off (while switching user and exec'ing) Java is no longer reading, so failures go to stderr,
 * which the helper shares with httptap.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

/* Exit code of a helper that failed before the command could run, as env(1) uses for its own errors. */
#define HELPER_FAILURE_EXIT 125

static int verbose_notes;
static int handed_off;

/** Remembers whether notes are wanted. */
void report_init(int verbose)
{
	verbose_notes = verbose;
}

/** Switches failure reports from the control socket to stderr, once Java holds the TUN descriptor. */
void report_handed_off(void)
{
	handed_off = 1;
}

/** Prints a detail on stderr, only with --verbose. */
void note(const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	if (!verbose_notes)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, "httptap: %s\n", text);
}

/* Sends or prints the finished message and exits. */
static void __attribute__((noreturn)) fail(const char *text)
{
	if (handed_off)
		fprintf(stderr, "httptap: %s\n", text);
	else
		handoff_send_error(text);
	exit(HELPER_FAILURE_EXIT);
}

/** Reports a failure that has no errno, then exits. */
void die(const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fail(text);
}

/**
 * Reports a failed call as "what failed: errno text", followed by "; hint" when a hint is given, then
 * exits. errno is read before anything else can change it.
 */
void die_errno(const char *hint, const char *fmt, ...)
{
	int saved_errno = errno;
	char what[512];
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (hint)
		snprintf(text, sizeof(text), "%s: %s; %s", what, strerror(saved_errno), hint);
	else
		snprintf(text, sizeof(text), "%s: %s", what, strerror(saved_errno));
	fail(text);
}

/**
 * The fix for a refused user namespace. Ubuntu 24.04's AppArmor lets unshare() succeed but strips the
 * new namespace of its capabilities, so the first privileged call fails with EPERM instead: any EPERM
 * after unshare() gets this hint too.
 */
const char *userns_restriction_hint(void)
{
	return "unprivileged user namespaces seem to be disabled: enable them with "
	       "'sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0' (Ubuntu 24.04 and later) or "
	       "'sudo sysctl kernel.unprivileged_userns_clone=1' (older Debian and Ubuntu)";
}
