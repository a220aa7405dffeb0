/** `strerror()` texts for the errno codes Node reports. */
export function strerror(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'EROFS':
      return 'Read-only file system';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'File name too long';
    case 'EPERM':
      return 'Operation not permitted';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EEXIST':
      return 'File exists';
    case 'ENXIO':
      return 'No such device or address';
    case 'EMFILE':
      return 'Too many open files';
    case 'EIO':
      return 'Input/output error';
    default:
      return code ?? 'Unknown error';
  }
}
