<?php

// The router of the fault server: every request gets an HTTP 500, as a broken proxy or an
// overloaded platform would answer. A client cannot know whether the message went out.
http_response_code(500);
header('Content-Type: text/html');
echo "<html><body><h1>500 Internal Server Error</h1></body></html>\n";
