<?php

declare(strict_types=1);

namespace Ihuyi\Tests\Support;

/**
 * Local HTTP helpers for the failure tests: a port nothing listens on, and a server that
 * answers every request with HTTP 500 (`php -S` in a child process).
 */
final class Http
{
    /** @var resource|null */
    private $process = null;

    private function __construct(public readonly string $baseUrl)
    {
    }

    /** A free loopback port (bound then released; nothing listens on it afterwards). */
    public static function freePort(): int
    {
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        if ($server === false) {
            throw new \RuntimeException("cannot bind a loopback port: $errstr");
        }
        $name = stream_socket_get_name($server, false);
        fclose($server);
        return (int) substr((string) $name, strrpos((string) $name, ':') + 1);
    }

    /** Starts `php -S` answering HTTP 500 to everything, and waits until it accepts. */
    public static function start500(): self
    {
        return self::serve(__DIR__ . '/router500.php', ['-n']);
    }

    /**
     * Starts `php -S` with `$router` and the extra PHP options, and waits until it accepts.
     *
     * @param list<string> $options e.g. ['-d', 'ffi.enable=1']
     */
    public static function serve(string $router, array $options = []): self
    {
        $port = self::freePort();
        $cmd = [PHP_BINARY, ...$options, '-S', "127.0.0.1:$port", $router];
        $process = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
        if (!is_resource($process)) {
            throw new \RuntimeException('cannot start php -S');
        }
        $server = new self("http://127.0.0.1:$port");
        $server->process = $process;
        $deadline = microtime(true) + 10;
        while (microtime(true) < $deadline) {
            $conn = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.2);
            if ($conn !== false) {
                fclose($conn);
                return $server;
            }
            usleep(20_000);
        }
        $server->stop();
        throw new \RuntimeException("php -S did not start listening on port $port");
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process);
            proc_close($this->process);
        }
        $this->process = null;
    }

    public function __destruct()
    {
        $this->stop();
    }

    /**
     * Runs PHP code in a fresh process (the library is loaded once per process, so loader
     * failures need their own).
     *
     * @param array<string, string> $env extra environment
     * @param list<string>          $ini `-d` settings
     * @return array{0: int, 1: string} exit code and combined output
     */
    public static function php(string $code, array $env = [], array $ini = []): array
    {
        $cmd = [PHP_BINARY];
        foreach ($ini as $setting) {
            $cmd[] = '-d';
            $cmd[] = $setting;
        }
        $cmd[] = '-r';
        $cmd[] = 'require ' . var_export(dirname(__DIR__, 2) . '/autoload.php', true) . ';' . $code;
        return self::run($cmd, $env);
    }

    /**
     * @param list<string>          $cmd
     * @param array<string, string> $env
     * @return array{0: int, 1: string}
     */
    public static function run(array $cmd, array $env = []): array
    {
        $fullEnv = array_merge(getenv(), $env);
        foreach ($env as $k => $v) {
            if ($v === '') {
                unset($fullEnv[$k]);
            }
        }
        $process = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $fullEnv);
        if (!is_resource($process)) {
            throw new \RuntimeException('cannot run ' . implode(' ', $cmd));
        }
        $out = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        return [proc_close($process), (string) $out];
    }
}
