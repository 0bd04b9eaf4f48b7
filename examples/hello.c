/* A small WASI program: greets its first argument and lists a mounted
 * directory. `porta run examples/hello.wasm -- World`. */
#include <dirent.h>
#include <stdio.h>

int main(int argc, char **argv) {
    printf("Hello, %s!\n", argc > 1 ? argv[1] : "world");
    DIR *d = opendir("/data");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] != '.') printf("/data/%s\n", e->d_name);
        }
        closedir(d);
    }
    return 0;
}
