module example.com/embedded-lock-two-names

go 1.19
