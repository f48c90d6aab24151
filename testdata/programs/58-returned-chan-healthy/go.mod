module example.com/returned-chan-healthy

go 1.19
