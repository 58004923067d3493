/*
 * plan.c - the early-start plan: what a previous run of httptap (Java, dev.httptap.sandbox.EarlyStartPlan)
 * worked out about starting a command here, so that the next run can start it before the JVM is up.
 *
 * One line per item, "KEY VALUE" (the value runs to the end of the line):
 *
 *   httptap-early-start 1          first line: the format
 *   expires SECONDS                the plan (its CA) is good until this time (seconds since the epoch)
 *   ca DIR                         the kept CA's directory, passed to the JVM
 *   jar PATH                       the jar it was made by: another installation's launcher shares the cache
 *   check SIZE MTIME_NS PATH       a file the plan was made from, unchanged since ("absent" for SIZE when it
 *                                  did not exist); anything else means the plan is stale
 *   quiet NAME                     an environment variable that changes the run: the plan holds only while unset
 *   flag NAME ARITY [finish]       an option the plan holds for, taking ARITY (0 or 1) values; "finish" when
 *                                  its output matters even if the command sends nothing (a HAR file)
 *   need NAME PATH                 a command named NAME (its first word's last part) starts the slow way
 *                                  while PATH is absent: the JVM makes it (Chromium's ~/.pki/nssdb)
 *   env NAME=VALUE                 added to the command's environment
 *   arg ARG                        one of the helper's options
 *   arg6 ARG                       one of the helper's options when this host has IPv6
 *
 * Any doubt is a miss: the launcher then starts the JVM, which starts the command the slow way and writes
 * a new plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

#define PLAN_HEADER "httptap-early-start 1"
#define MAX_PLAN_LINES 512
/* A plan is kept only if its CA has at least this long to live: a run may last hours. */
#define EXPIRY_MARGIN_SECONDS (24 * 3600)

struct flag {
	const char *name;
	int arity;
	int finish;
};

struct need {
	char *command;
	const char *path;
};

struct plan_lines {
	int jar_matched;
	struct need needs[32];
	int need_count;
	struct flag flags[64];
	int flag_count;
	char *ipv6_args[16];
	int ipv6_arg_count;
};

/* Whether the host has any IPv6 address, as dev.httptap.sandbox.TunIpv6.hostHasIpv6 decides it. */
static int host_has_ipv6(void)
{
	FILE *file = fopen("/proc/net/if_inet6", "re");
	int found;

	if (!file)
		return 0;
	found = fgetc(file) != EOF;
	fclose(file);
	return found;
}

/* Whether the file at path still has the size and modification time the plan was made with. */
static int unchanged(const char *value)
{
	char size[32];
	long long mtime_ns;
	int consumed;
	struct stat st;

	if (sscanf(value, "%31s %lld %n", size, &mtime_ns, &consumed) != 2)
		return 0;
	const char *path = value + consumed;
	if (strcmp(size, "absent") == 0)
		return stat(path, &st) < 0;
	if (stat(path, &st) < 0)
		return 0;
	return strtoll(size, NULL, 10) == (long long)st.st_size &&
	       mtime_ns == (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static const struct flag *find_flag(const struct plan_lines *lines, const char *name, size_t length)
{
	for (int i = 0; i < lines->flag_count; i++)
		if (strlen(lines->flags[i].name) == length && strncmp(lines->flags[i].name, name, length) == 0)
			return &lines->flags[i];
	return NULL;
}

/*
 * Finds where the command starts in httptap's arguments, as picocli reads them: options first, then
 * "--" or the first word that is not an option. Every option must be one the plan holds for.
 */
static const char *find_command(const struct plan_lines *lines, char **args, struct plan *plan)
{
	int i = 0;

	while (args[i]) {
		const char *arg = args[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		const char *equals = strchr(arg, '=');
		const struct flag *flag = find_flag(lines, arg, equals ? (size_t)(equals - arg) : strlen(arg));
		if (!flag)
			return "an option the plan does not cover";
		if (equals && flag->arity != 1)
			return "an option the plan does not cover";
		if (!equals && flag->arity && !args[i + 1])
			return "an option without its value";
		plan->must_finish |= flag->finish;
		i += 1 + (equals ? 0 : flag->arity);
	}
	if (!args[i])
		return "no command (httptap then runs a shell)";
	plan->command = args + i;
	const char *slash = strrchr(args[i], '/');
	const char *name = slash ? slash + 1 : args[i];
	for (int n = 0; n < lines->need_count; n++)
		if (strcmp(lines->needs[n].command, name) == 0 && access(lines->needs[n].path, F_OK) < 0)
			return "a command whose files the JVM makes first";
	return NULL;
}

/* Adds value to a growing array of strings. */
static void append(char ***array, int *count, char *value)
{
	*array = realloc(*array, sizeof(char *) * (size_t)(*count + 2));
	if (!*array) {
		fprintf(stderr, "httptap: out of memory\n");
		exit(EXIT_FAILURE);
	}
	(*array)[(*count)++] = value;
	(*array)[*count] = NULL;
}

/* Reads one line into lines/plan; returns a miss reason or NULL. jar: the jar the launcher runs. */
static const char *read_line(char *line, const char *jar, struct plan_lines *lines, struct plan *plan)
{
	char *value = strchr(line, ' ');

	if (!value)
		return "a line without a value";
	*value++ = '\0';
	if (strcmp(line, "expires") == 0)
		return strtoll(value, NULL, 10) > (long long)time(NULL) + EXPIRY_MARGIN_SECONDS ? NULL : "its CA is about to expire";
	if (strcmp(line, "ca") == 0)
		plan->ca_dir = value;
	else if (strcmp(line, "jar") == 0) {
		if (strcmp(value, jar) != 0)
			return "the plan of another installation";
		lines->jar_matched = 1;
	} else if (strcmp(line, "check") == 0)
		return unchanged(value) ? NULL : "a file it was made from changed";
	else if (strcmp(line, "quiet") == 0) {
		const char *set = getenv(value);
		return set && *set ? "an HTTPTAP_ variable is set" : NULL;
	} else if (strcmp(line, "flag") == 0) {
		char name[64], finish[16] = "";
		int arity;
		if (lines->flag_count == 64 || sscanf(value, "%63s %d %15s", name, &arity, finish) < 2 || arity < 0 || arity > 1)
			return "a bad flag line";
		lines->flags[lines->flag_count++] = (struct flag){ strdup(name), arity, strcmp(finish, "finish") == 0 };
	} else if (strcmp(line, "need") == 0) {
		char *space = strchr(value, ' ');
		if (!space || lines->need_count == 32)
			return "a bad need line";
		*space = '\0';
		lines->needs[lines->need_count++] = (struct need){ value, space + 1 };
	} else if (strcmp(line, "env") == 0)
		append(&plan->environment, &plan->environment_count, value);
	else if (strcmp(line, "arg") == 0)
		append(&plan->helper_args, &plan->helper_arg_count, value);
	else if (strcmp(line, "arg6") == 0) {
		if (lines->ipv6_arg_count == 16)
			return "too many arg6 lines";
		lines->ipv6_args[lines->ipv6_arg_count++] = value;
	} else
		return "an unknown line";
	return NULL;
}

/**
 * Loads the plan at path and checks it against the jar the launcher runs and httptap's arguments (args,
 * NULL-terminated). Returns NULL when the command can start early (plan filled), or why not.
 */
const char *plan_load(const char *path, const char *jar, char **args, struct plan *plan)
{
	static struct plan_lines lines;
	char *text = NULL;
	size_t capacity = 0;
	ssize_t length;
	int count = 0;
	FILE *file = fopen(path, "re");
	const char *miss = NULL;

	memset(plan, 0, sizeof(*plan));
	if (!file)
		return "no plan yet";
	length = getline(&text, &capacity, file);
	if (length < 0 || strncmp(text, PLAN_HEADER "\n", (size_t)length) != 0)
		miss = "a plan of another format";
	while (!miss && count++ < MAX_PLAN_LINES) {
		text = NULL;
		capacity = 0;
		length = getline(&text, &capacity, file);
		if (length < 0)
			break;
		if (length > 0 && text[length - 1] == '\n')
			text[length - 1] = '\0';
		miss = read_line(text, jar, &lines, plan);
	}
	fclose(file);
	if (!miss && !plan->ca_dir)
		miss = "a plan without a CA";
	if (!miss && !lines.jar_matched)
		miss = "a plan without its jar";
	if (!miss && host_has_ipv6())
		for (int i = 0; i < lines.ipv6_arg_count; i++)
			append(&plan->helper_args, &plan->helper_arg_count, lines.ipv6_args[i]);
	if (!miss)
		miss = find_command(&lines, args, plan);
	return miss;
}
