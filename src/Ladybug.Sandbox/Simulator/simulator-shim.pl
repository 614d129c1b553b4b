#!/usr/bin/perl -w
# The ForceCommand of every sandbox VM: hands the SSH command (and its stdin) to the node simulator running inside
# the sandbox process, over a Unix socket, and relays stdout, stderr and the exit status back. Starting a .NET
# process per SSH command would cost more CPU than most simulated steps; perl (perl-base) starts in milliseconds.
# It loads no module but strict: IO::Socket::UNIX, IO::Select and warnings.pm took 34 of its 41 ms of CPU per
# command, paid 51 times at once when every node of a cluster starts a step. Linux only, as the sandbox is.
# Usage: simulator-shim.pl <socket> --node-dir <vm directory>
use strict;

# <sys/socket.h> on Linux: AF_UNIX 1, SOCK_STREAM 1; struct sockaddr_un is a native u16 family and the path.
# <errno.h>: EINTR 4. (constant.pm and %! would load warnings.pm and Errno.pm again.)
my ($AF_UNIX, $SOCK_STREAM, $EINTR) = (1, 1, 4);

my ($socket_path, $flag, $node_dir) = @ARGV;
die "usage: simulator-shim.pl <socket> --node-dir <vm directory>\n" unless defined $node_dir && $flag eq '--node-dir';
binmode $_ for \*STDIN, \*STDOUT, \*STDERR;
my $server;
unless (socket($server, $AF_UNIX, $SOCK_STREAM, 0) && connect($server, pack('S a* x', $AF_UNIX, $socket_path))) {
    print STDERR "ladybug-sandbox: the node simulator is not running ($socket_path: $!)\n";
    exit 255;
}
binmode $server;

sub send_all {
    my ($fh, $data) = @_;
    while (length $data) {
        my $written = syswrite($fh, $data);
        exit 255 unless defined $written;
        substr($data, 0, $written) = '';
    }
}

# Header: node directory, this process id (to find the sshd session when a fault drops it), the command.
my $command = defined $ENV{SSH_ORIGINAL_COMMAND} ? $ENV{SSH_ORIGINAL_COMMAND} : '';
my $header = join("\0", $node_dir, $$, $command);
send_all($server, pack('N', length $header) . $header);

my $stdin_open = 1;
my $buffer = '';
while (1) {
    my $wanted = '';
    vec($wanted, fileno($server), 1) = 1;
    vec($wanted, fileno(STDIN), 1) = 1 if $stdin_open;
    my $ready = $wanted;
    if (select($ready, undef, undef, undef) < 0) {
        next if $! == $EINTR;
        exit 255;
    }
    for my $fh ($server, $stdin_open ? \*STDIN : ()) {
        next unless vec($ready, fileno($fh), 1);
        if ($fh == $server) {
            my $read = sysread($server, $buffer, 65536, length $buffer);
            exit 255 unless $read;    # the simulator went away mid-command: like a dropped connection
            while (length $buffer >= 5) {
                my ($type, $length) = unpack('a N', $buffer);
                last if length $buffer < 5 + $length;
                my $data = substr($buffer, 5, $length);
                substr($buffer, 0, 5 + $length) = '';
                if ($type eq 'O') { send_all(\*STDOUT, $data) }
                elsif ($type eq 'R') { send_all(\*STDERR, $data) }
                elsif ($type eq 'X') { exit unpack('N', $data) }
            }
        }
        else {
            my $read = sysread(STDIN, my $chunk, 65536);
            if ($read) { send_all($server, pack('a N', 'I', length $chunk) . $chunk) }
            else { send_all($server, pack('a N', 'E', 0)); $stdin_open = 0 }
        }
    }
}
