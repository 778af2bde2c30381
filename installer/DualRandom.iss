; Inno Setup 6 script: packs dist\DualRandom\ (built by installer\build.py) into
; DualRandom-Setup-<version>.exe. See installer\README.md for the exact steps.
;
; - Per-user install without administrator rights (PrivilegesRequired=lowest):
;   the program goes to %LOCALAPPDATA%\Programs\DualRandom; the clerk's data stays
;   in %LOCALAPPDATA%\DualRandom (database, backups, logs, settings), which this
;   installer never writes and the uninstaller never removes.
; - Upgrade in place: the same AppId finds the earlier install; a running
;   DualRandom is asked to close first (CloseApplications).
; - Chinese wizard: ChineseSimplified.isl (the Inno Setup translation, kept next
;   to this script — see README) and the custom messages below.

#define AppName "双随机一公开监管工作台"
#define AppExe "DualRandom.exe"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Source "..\dist\DualRandom"

[Setup]
; Never change the AppId: it is how an upgrade finds the installed version.
AppId={{6F0D4C1E-8B2A-4E7C-9A51-3D2B7C1E9F40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=DualRandom
VersionInfoVersion={#AppVersion}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={autopf}\DualRandom
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
OutputDir=..\dist
OutputBaseFilename=DualRandom-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\dualrandom.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl 不在 installer\ 中：安装向导的通用按钮将是英文（见 installer\README.md）"
Name: "chs"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
chs.DesktopIcon=在桌面创建快捷方式
chs.Shortcuts=快捷方式：
chs.LaunchApp=立即启动双随机一公开监管工作台
chs.KeepsData=卸载只删除程序本身；数据库、备份和日志保留在 %1，重新安装后继续使用。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[Files]
Source: "{#Source}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program files; files of an older version that the new
; one no longer ships must not linger and be loaded instead.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself left in its own folder; never the data folder.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('KeepsData'), [ExpandConstant('{localappdata}\DualRandom')]),
      mbInformation, MB_OK);
end;
