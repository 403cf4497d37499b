/* fscrypt-ext-ext4 mount: the process around the FUSE session, forked before any key is loaded, detached once mounted. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "mount.h"

/* Set by ext4_mount_prefork() in the child: where to say "mounted" to the waiting parent. */
static int ready_fd = -1;

int ext4_mount_prefork(void)
{
	int fds[2];
	pid_t pid;
	char ok;
	ssize_t got;
	int status;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "fscrypt-ext-ext4: mount: pipe: %s\n", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "fscrypt-ext-ext4: mount: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		/*
		 * The child loads the keys itself, after the fork, so they sit in its
		 * own locked memory (locks are not inherited across fork); until the
		 * filesystem is mounted its messages still reach the user's terminal.
		 */
		close(fds[0]);
		ready_fd = fds[1];
		setsid();
		return 0;
	}
	close(fds[1]);
	do
		got = read(fds[0], &ok, 1);
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	if (got == 1)
		exit(EXT4_EXIT_OK);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	exit(WIFEXITED(status) && WEXITSTATUS(status) ? WEXITSTATUS(status) : EXT4_EXIT_USAGE);
}

static void detach_from_terminal(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (chdir("/") != 0) {
		/* the image and keys are open already; a failed chdir only keeps the old directory busy */
	}
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

void ext4_mount_ready(void)
{
	char ok = 1;

	if (ready_fd < 0)
		return;
	if (write(ready_fd, &ok, 1) != 1) {
		/* the parent is gone: nothing to tell */
	}
	close(ready_fd);
	ready_fd = -1;
	detach_from_terminal();
}
